from .audit import AuditEntry
from .circles import CalendarFeed, Circle, CircleMeeting, CircleMembership, MeetingParticipation
from .communities import Community, LifecycleTransition, Membership
from .joining import Invitation, JoinRequest
from .people import User
from .tags import Tag

__all__ = [
    "AuditEntry",
    "CalendarFeed",
    "Circle",
    "CircleMeeting",
    "CircleMembership",
    "Community",
    "Invitation",
    "JoinRequest",
    "LifecycleTransition",
    "MeetingParticipation",
    "Membership",
    "Tag",
    "User",
]
