from .audit import AuditEntry
from .circles import CalendarFeed, Circle, CircleMeeting, CircleMembership, MeetingParticipation
from .communities import Community, LifecycleTransition, Membership
from .discussions import Post, PostRevision, Thread, ThreadRevision
from .joining import Invitation, JoinRequest
from .notifications import Follow, Notification
from .people import User
from .prompts import ScheduledPrompt
from .tags import Tag
from .votes import Thanks, Vote

__all__ = [
    "AuditEntry",
    "CalendarFeed",
    "Circle",
    "CircleMeeting",
    "CircleMembership",
    "Community",
    "Follow",
    "Invitation",
    "JoinRequest",
    "LifecycleTransition",
    "MeetingParticipation",
    "Membership",
    "Notification",
    "Post",
    "PostRevision",
    "ScheduledPrompt",
    "Tag",
    "Thanks",
    "Thread",
    "ThreadRevision",
    "User",
    "Vote",
]
