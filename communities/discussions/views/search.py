"""Search over the threads a person may read, and tag suggestions while typing."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from communities.core.access import community_for
from communities.discussions.selectors.tags import suggested_tag_names
from communities.discussions.selectors.threads import search_threads, threads_in_order
from communities.discussions.views.helpers import is_htmx

PAGE_SIZE = 20


@require_GET
def search(request):
    """`/search/?q=` across communities; `&c=<slug>` keeps to one community."""
    query = request.GET.get("q", "").strip()[:200]
    community = None
    if slug := request.GET.get("c"):
        community = community_for(request, slug, content=True, signed_in=False)
    page = None
    rows = []
    if query:
        results = search_threads(viewer=request.user, query=query, community=community)
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = threads_in_order(request.user, page.object_list)
    return render(
        request,
        "communities/threads/search.html",
        {"query": query, "community": community, "page": page, "threads": rows},
    )


@require_GET
def tag_suggest(request):
    """Existing tags starting with `q`: JSON, or `<option>`s for an HTMX datalist."""
    prefix = request.GET.get("q", request.GET.get("tag_names", "")).split(",")[-1]
    names = suggested_tag_names(viewer=request.user, prefix=prefix[:40])
    if is_htmx(request):
        return render(request, "components/tag_options.html", {"names": names})
    return JsonResponse({"tags": names})
