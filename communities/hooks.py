"""Extension points: where a lower layer or another app may react or add to a page.

`communities` imports none of `mentoring`, `feedback` or `knowledge`; those apps register
here from their `AppConfig.ready()`, and `communities` calls whatever is registered. This
module imports nothing else of Trellis, so any layer may import it.

Signals (send with keyword arguments only):

- `member_joined(sender=Membership, membership=...)`: a membership became active
  (joined, request approved, invitation accepted). Sent after the transaction commits.
- `membership_ended(sender=Membership, membership=..., reason="left"|"removed"|"banned")`:
  a member left, was removed or banned. Sent after the transaction commits.
- `demo_seeded(sender=None, stdout=...)`: `seed_demo` built the communities' demo data;
  other apps add their own demo data on top (idempotently).

Registries (named lists of callables, see each constant for the call signature):
"""

from collections.abc import Callable
from typing import Any

from django.dispatch import Signal

member_joined = Signal()
membership_ended = Signal()
demo_seeded = Signal()

# fn(request, thread) -> str (safe HTML, "" for nothing): panels under a thread's question,
# e.g. "Harvest to knowledge base" and "Harvested into <article>".
THREAD_PANELS = "thread_panels"
# fn(request, community) -> str (safe HTML): panels on a community's page, e.g. its
# mentoring programmes, review rounds or knowledge articles.
COMMUNITY_PANELS = "community_panels"
# fn(request, query: str, community) -> str (safe HTML): a section on /search/ above the
# thread results, e.g. matching knowledge articles the viewer may read.
SEARCH_SECTIONS = "search_sections"
# Inside communities, for its upper layers (circles, discussions) to add to core's pages:
# fn(request, community) -> dict of template context for the community page, called only
# when the viewer may see the community's content (e.g. upcoming meetings, recent threads).
COMMUNITY_PAGE_CONTEXT = "community_page_context"
# fn(request, person) -> dict of template context for a profile page (e.g. badges).
PROFILE_PAGE_CONTEXT = "profile_page_context"
# fn(users, since, until) -> {user_id: [{"title", "items": [{"title", "url", "summary"}]}]}
DIGEST_SECTIONS = "digest_sections"
# fn(community) -> list[dict] next actions for the gardener's dashboard (issue: health).
GARDENER_ACTIONS = "gardener_actions"

# fn(request, user) -> str (safe HTML, "" for nothing): what a feature proposes on a signed-in
# member's home, e.g. mentoring proposals or harvest suggestions waiting for them.
HOME_PANELS = "home_panels"

_registry: dict[str, list[Callable[..., Any]]] = {}


def register(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add `fn` to the hook `name` once (registering twice is harmless)."""
    callbacks = _registry.setdefault(name, [])
    if fn not in callbacks:
        callbacks.append(fn)
    return fn


def registered(name: str) -> list[Callable[..., Any]]:
    """The callables registered for `name`, in registration order."""
    return list(_registry.get(name, ()))
