"""What other apps (mentoring, feedback, knowledge) use of communities.

They import `communities.models`, `communities.hooks` and this module, nothing deeper, so the
inside of communities can be reshaped without breaking them (import-linter checks it).
"""

from communities.core.errors import NotAllowed, StateError
from communities.core.forms.fields import SingleLineField
from communities.core.markdown import render_markdown
from communities.core.models.communities import CommunityKind, MembershipStatus, Role, Visibility
from communities.core.selectors import (
    active_membership_q,
    community_content_for_viewer,
    community_for_viewer,
    content_visible_communities,
    membership_of,
    visible_communities,
)
from communities.core.services.membership import join_open_community
from communities.core.text import email_subject, single_line
from communities.discussions.selectors.threads import shown_author, thread_detail, visible_threads
from communities.discussions.services.notifications import notify
from communities.discussions.services.threads import clean_tag_names
from communities.permissions import (
    can,
    can_manage_community,
    can_moderate_community,
    can_see_community_content,
    is_active_member,
    require,
)

__all__ = [
    "CommunityKind",
    "MembershipStatus",
    "NotAllowed",
    "Role",
    "StateError",
    "Visibility",
    "active_membership_q",
    "can",
    "can_manage_community",
    "can_moderate_community",
    "can_see_community_content",
    "clean_tag_names",
    "community_content_for_viewer",
    "community_for_viewer",
    "content_visible_communities",
    "is_active_member",
    "join_open_community",
    "membership_of",
    "render_markdown",
    "require",
    "shown_author",
    "thread_detail",
    "visible_communities",
    "visible_threads",
]

# For communities.health: the stage, thread-kind and flag-state choices it counts by.
from communities.core.models.communities import Stage
from communities.discussions.models.threads import ThreadKind
from communities.moderation.models import FlagStatus

__all__ += ["FlagStatus", "Stage", "ThreadKind"]

# For mentoring, feedback and knowledge: a notice on a person's notifications page.
__all__ += ["notify"]
# For knowledge: the one "send once" mechanism for its follower emails.
from communities.core.sending import send_once  # noqa: E402

__all__ += ["send_once"]
# One cleaner for single-line text and email subjects (issue 15, finding 6).
__all__ += ["SingleLineField", "email_subject", "single_line"]
# Emails to members: safe headers and one-click unsubscribe (RFC 8058) per member and kind.
# Other apps register their recurring email's kind in `ready()` and send with
# `send_member_email`, which skips members who turned that kind off.
from communities.core.mail import (  # noqa: E402
    BadToken,
    clean_header,
    email_kind,
    email_kinds,
    email_settings_url,
    member_email,
    read_unsubscribe_token,
    recipient_address,
    register_email_kind,
    send_member_email,
    site_url,
    unsubscribe_headers,
    unsubscribe_token,
    unsubscribe_url,
    wants_email,
)
from communities.core.services.email_settings import (  # noqa: E402
    apply_email_wanted,
    set_email_wanted,
    unsubscribe,
)

__all__ += [
    "BadToken",
    "apply_email_wanted",
    "clean_header",
    "email_kind",
    "email_kinds",
    "email_settings_url",
    "member_email",
    "read_unsubscribe_token",
    "recipient_address",
    "register_email_kind",
    "send_member_email",
    "set_email_wanted",
    "site_url",
    "unsubscribe",
    "unsubscribe_headers",
    "unsubscribe_token",
    "unsubscribe_url",
    "wants_email",
]
# For the apps' views: the sign-in redirect and service-error helper communities' views use.
from communities.core.access import SignInFirst, add_service_error, signin_redirect  # noqa: E402

__all__ += ["SignInFirst", "add_service_error", "signin_redirect"]
# For knowledge: stemming where the database has none (SQLite), the same as threads'.
from communities.core.stemming import stemmed_query, stemmed_text  # noqa: E402

__all__ += ["stemmed_query", "stemmed_text"]

# Times in each person's zone: render an email or a notice to someone inside
# `with in_zone_of(recipient):` so every date and time in it is in their zone.
from communities.core.zones import in_zone_of, zone_of  # noqa: E402

__all__ += ["in_zone_of", "zone_of"]
