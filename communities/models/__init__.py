"""Every model of the app, importable from `communities.models` as Django and other apps expect.

The classes live in their domain packages (`core`, `circles`, `discussions`, `moderation`);
the app label, tables and migrations stay those of `communities`.
"""

from communities.circles.models import (
    CalendarFeed,
    Circle,
    CircleMeeting,
    CircleMembership,
    MeetingNotesRevision,
    MeetingParticipation,
)
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import Community, LifecycleTransition, Membership
from communities.core.models.email import EmailOptOut
from communities.core.models.joining import Invitation, JoinRequest
from communities.core.models.people import User
from communities.core.models.submissions import FormSubmission
from communities.core.models.tags import Tag
from communities.digests.models import (
    DigestDelivery,
    DigestSettings,
    EscalationDelivery,
    EscalationSettings,
)
from communities.discussions.models.badges import AwardedBadge
from communities.discussions.models.contributions import ContributionRollup, DailyContribution
from communities.discussions.models.notifications import (
    CircleNotificationSetting,
    CommunityNotificationSetting,
    Follow,
    Notification,
)
from communities.discussions.models.person_follows import PersonFollow
from communities.discussions.models.prompts import ScheduledPrompt
from communities.discussions.models.threads import Post, PostRevision, Thread, ThreadRevision
from communities.discussions.models.visits import CommunityReadMark, ThreadVisit
from communities.discussions.models.votes import Thanks, Vote
from communities.health.models import (
    AcceptedAnswerChange,
    HealthSnapshot,
    MembershipStateChange,
    StageProposal,
)
from communities.moderation.models import Flag, MemberWarning, ModerationNotice

__all__ = [
    "AcceptedAnswerChange",
    "AuditEntry",
    "AwardedBadge",
    "CalendarFeed",
    "Circle",
    "CircleMeeting",
    "CircleMembership",
    "CircleNotificationSetting",
    "Community",
    "CommunityNotificationSetting",
    "CommunityReadMark",
    "ContributionRollup",
    "DailyContribution",
    "DigestDelivery",
    "DigestSettings",
    "EmailOptOut",
    "EscalationDelivery",
    "EscalationSettings",
    "Flag",
    "Follow",
    "FormSubmission",
    "HealthSnapshot",
    "Invitation",
    "JoinRequest",
    "LifecycleTransition",
    "MeetingNotesRevision",
    "MeetingParticipation",
    "MemberWarning",
    "Membership",
    "MembershipStateChange",
    "ModerationNotice",
    "Notification",
    "PersonFollow",
    "Post",
    "PostRevision",
    "ScheduledPrompt",
    "StageProposal",
    "Tag",
    "Thanks",
    "Thread",
    "ThreadRevision",
    "ThreadVisit",
    "User",
    "Vote",
]
