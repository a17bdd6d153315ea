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
# fn(request, meeting) -> str (safe HTML): panels under a circle meeting's notes, shown to
# those who may see the meeting, e.g. "Harvest a lesson learned".
MEETING_PANELS = "meeting_panels"
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
# fn(request, circle) -> dict of template context for a circle's page (e.g. the member's
# notification setting for it); `circle.is_member` says whether the viewer has a seat.
CIRCLE_PAGE_CONTEXT = "circle_page_context"
# fn(request, person) -> dict of template context for a profile page (e.g. badges).
PROFILE_PAGE_CONTEXT = "profile_page_context"
# fn() -> dict of query expressions to annotate the thread of a thread page with, read in the
# thread's own query (e.g. whether it was harvested); name them after the app. The same for
# every viewer: the thread page compiles its query once (`communities.core.compiled`).
THREAD_ANNOTATIONS = "thread_annotations"
# fn(users, since, until) -> {user_id: [{"title", "items": [{"title", "url", "summary"}]}]}
DIGEST_SECTIONS = "digest_sections"
# fn(community) -> list[dict] next actions for the gardener's dashboard (issue: health):
# {"verb": "harvest", "label", "count", "url", "items": [(text, url)]}.
GARDENER_ACTIONS = "gardener_actions"
# fn(community_ids) -> {community_id: count} of those actions, for the staff health overview
# (one call for a whole page of communities, so its queries don't grow with the page).
GARDENER_ACTION_COUNTS = "gardener_action_counts"
# fn(request, community) -> str (safe HTML): panels on a community's stage page for its
# managers, e.g. the health engine's stage proposal to confirm or dismiss.
STAGE_PANELS = "stage_panels"
# fn(viewer, query: str, *, community, tag: str, kind: str) -> dict | None: another app's
# results for the one search on /search/, merged with threads by rank (theirs first on a tie):
# {"hits": [(rank, id), ...] best first and capped, ranks comparable with PostgreSQL's ts_rank,
#  "rows": fn(request, ids) -> {id: safe HTML list row saying what it is}}. `kind` is the
# type filter ("" all, "articles", "questions"); None adds nothing.
SEARCH_SOURCES = "search_sources"

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
