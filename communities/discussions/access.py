"""The access policy of thread pages: `core.access.community_for` for the community, then the
thread the visitor may read (404 otherwise), then the action they want to take on it."""

from communities.core import rules as permissions
from communities.core.access import community_for
from communities.discussions.selectors.threads import thread_for_viewer


def thread_for(
    request,
    slug: str,
    pk: int,
    action: str | None = None,
    *,
    hide: bool = False,
    community_action: str | None = None,
):
    """`(community, thread)` for this visitor: 404 for a community whose content they may not
    read or a thread they may not see; with `action` (on the thread) or `community_action`
    (on the community, checked before the thread is looked up), NotAllowed, or 404 with
    `hide`, when they may not do it. Views that need a signed-in visitor are
    `login_required`."""
    community = community_for(
        request, slug, community_action, content=True, signed_in=False, hide=hide
    )
    thread = thread_for_viewer(viewer=request.user, thread_id=pk, community=community)
    if action is not None:
        permissions.require(request.user, action, thread, hide=hide)
    return community, thread
