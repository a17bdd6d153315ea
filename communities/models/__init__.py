from communities.health.models import HealthSnapshot, StageProposal

from .audit import AuditEntry
from .badges import AwardedBadge
from .circles import CalendarFeed, Circle, CircleMeeting, CircleMembership, MeetingParticipation
from .communities import Community, LifecycleTransition, Membership
from .discussions import Post, PostRevision, Thread, ThreadRevision
from .joining import Invitation, JoinRequest
from .moderation import Flag, MemberWarning, ModerationNotice
from .notifications import Follow, Notification
from .people import User
from .prompts import ScheduledPrompt
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
    "Follow",
    "HealthSnapshot",
    "Invitation",
    "JoinRequest",
    "LifecycleTransition",
    "MeetingParticipation",
    "MemberWarning",
    "Membership",
    "ModerationNotice",
    "Notification",
    "Post",
    "PostRevision",
    "ScheduledPrompt",
    "StageProposal",
    "Tag",
    "Thanks",
    "Thread",
    "ThreadRevision",
    "User",
    "Vote",
]
