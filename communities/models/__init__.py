from .audit import AuditEntry
from .badges import AwardedBadge
from .circles import CalendarFeed, Circle, CircleMeeting, CircleMembership, MeetingParticipation
from .communities import Community, LifecycleTransition, Membership
from .discussions import Post, PostRevision, Thread, ThreadRevision
from .joining import Invitation, JoinRequest
from .moderation import Flag, MemberWarning, ModerationNotice
from .people import User
from .tags import Tag
from .votes import Thanks, Vote

__all__ = [
    "AuditEntry",
    "AwardedBadge",
    "CalendarFeed",
    "Circle",
    "CircleMeeting",
    "CircleMembership",
    "Community",
    "Flag",
    "Invitation",
    "JoinRequest",
    "LifecycleTransition",
    "MeetingParticipation",
    "MemberWarning",
    "Membership",
    "ModerationNotice",
    "Post",
    "PostRevision",
    "Tag",
    "Thanks",
    "Thread",
    "ThreadRevision",
    "User",
    "Vote",
]
