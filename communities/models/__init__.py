from communities.digests.models import (
    DigestDelivery,
    DigestSettings,
    EscalationDelivery,
    EscalationSettings,
)

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
    "DigestDelivery",
    "DigestSettings",
    "EscalationDelivery",
    "EscalationSettings",
    "Flag",
    "Follow",
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
    "Tag",
    "Thanks",
    "Thread",
    "ThreadRevision",
    "User",
    "Vote",
]
