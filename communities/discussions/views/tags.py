"""A tag's page: the threads carrying it that the visitor may read, and who knows about it."""

from django.http import Http404
from django.shortcuts import render

from communities.core.access import remember_permissions
from communities.core.paging import CappedPaginator
from communities.discussions.selectors.follows import is_following
from communities.discussions.selectors.tags import experts_for_tag, tag_seen_by, threads_with_tag
from communities.discussions.selectors.threads import threads_in_order

PAGE_SIZE = 20


@remember_permissions
def tag_detail(request, name: str):
    # A tag seen nowhere the visitor may look is 404: its name alone could tell what a
    # private community or a circle talks about.
    tag = tag_seen_by(viewer=request.user, name=name)
    if tag is None:
        raise Http404
    wanted = request.GET.get("page")
    page = CappedPaginator(
        threads_with_tag(viewer=request.user, tag=tag), PAGE_SIZE, wanted=wanted
    ).get_page(wanted)
    return render(
        request,
        "communities/tags/detail.html",
        {
            "tag": tag,
            "page": page,
            "threads": threads_in_order(request.user, page.object_list),
            "experts": experts_for_tag(viewer=request.user, tag=tag),
            "follows_tag": is_following(request.user, tag=tag),
        },
    )
