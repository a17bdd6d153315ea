"""Search over the threads a person may read, and tag suggestions while typing."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from communities import hooks
from communities.core.access import community_for, remember_permissions
from communities.core.selectors import content_visible_communities, find_communities, find_people
from communities.discussions.models.threads import ThreadKind
from communities.discussions.selectors.tags import suggested_tag_names
from communities.discussions.selectors.threads import search_threads, threads_in_order
from communities.discussions.views.helpers import is_htmx

PAGE_SIZE = 20
COMMUNITY_CHOICES = 200
# Communities and people shown above the results; "more" leads to the directory.
SECTION_SIZE = 5


# The type filter: "" everything, "articles" only other apps' results, "questions" only
# question threads.
RESULT_TYPES = [("", "Everything"), ("articles", "Articles"), ("questions", "Questions")]


def _thread_hits(request, *, query, community, tag, kind) -> tuple[list[tuple[float, int]], bool]:
    if kind == "articles":
        return [], False
    results = search_threads(
        viewer=request.user,
        query=query,
        community=community,
        tag=tag,
        kind=ThreadKind.QUESTION if kind == "questions" else "",
    )
    if hasattr(results, "ranks"):
        return list(zip(results.ranks, results.ids, strict=True)), results.is_capped
    # Without stored vectors (SQLite) the backend's order stands and ranks tie.
    return [(0.0, thread.pk) for thread in results[:1000]], False


@require_GET
@remember_permissions
def search(request):
    """`/search/?q=`: threads and what other apps register on `hooks.SEARCH_SOURCES` (knowledge
    articles) in one list, best first, theirs first on a tie; above them, a few communities
    and people the viewer may see, by name or tag. Filters: `c=<slug>` one community,
    `tag=<name>`, `type=articles|questions`."""
    query = request.GET.get("q", "").strip()[:200]
    tag = request.GET.get("tag", "").strip()[:40]
    kind = request.GET.get("type", "")
    if kind not in dict(RESULT_TYPES):
        kind = ""
    community = None
    if slug := request.GET.get("c"):
        community = community_for(request, slug, content=True, signed_in=False)
    page = None
    rows: list[dict] = []
    is_capped = False
    thread_count = other_count = 0
    if query:
        thread_hits, is_capped = _thread_hits(
            request, query=query, community=community, tag=tag, kind=kind
        )
        # (-rank, source order, source, id): registered sources come before threads on a tie.
        thread_count = len(thread_hits)
        merged = [(-rank, 1, None, pk) for rank, pk in thread_hits]
        renderers = []
        for source in hooks.registered(hooks.SEARCH_SOURCES):
            result = source(request.user, query, community=community, tag=tag, kind=kind)
            if not result:
                continue
            renderers.append(result["rows"])
            index = len(renderers) - 1
            merged += [(-rank, 0, index, pk) for rank, pk in result["hits"]]
            other_count += len(result["hits"])
        merged.sort(key=lambda hit: (hit[0], hit[1], -hit[3]))
        page = Paginator(merged, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        threads = {
            thread.pk: thread
            for thread in threads_in_order(
                request.user,
                [pk for _, _, source, pk in shown if source is None],
                # Ids of `search_threads`, which applied the visibility rule for this viewer.
                proven_visible=True,
            )
        }
        html: dict[tuple[int, int], str] = {}
        for index, render_rows in enumerate(renderers):
            ids = [pk for _, _, source, pk in shown if source == index]
            if ids:
                html.update(((index, pk), row) for pk, row in render_rows(request, ids).items())
        for _, _, source, pk in shown:
            if source is None and pk in threads:
                rows.append({"thread": threads[pk]})
            elif source is not None and (source, pk) in html:
                rows.append({"html": html[(source, pk)]})
    # Communities and people by name or tag, with "Everything" only; inside one community,
    # its members alone.
    communities_found: list = []
    people_found: list = []
    if query and not kind:
        if community is None:
            communities_found = find_communities(
                viewer=request.user, query=query, limit=SECTION_SIZE
            )
        people_found = find_people(
            viewer=request.user, query=query, limit=SECTION_SIZE, community=community
        )
    return render(
        request,
        "communities/threads/search.html",
        {
            "communities_found": communities_found[:SECTION_SIZE],
            "more_communities": len(communities_found) > SECTION_SIZE,
            "people_found": people_found[:SECTION_SIZE],
            "more_people": len(people_found) > SECTION_SIZE,
            "query": query,
            "community": community,
            "tag": tag,
            "kind": kind,
            "result_types": RESULT_TYPES,
            # The community filter's choices: those whose threads the viewer may search.
            "communities": list(
                content_visible_communities(request.user)
                .order_by("name")
                .values_list("slug", "name")[:COMMUNITY_CHOICES]
            ),
            "page": page,
            "results": rows,
            "is_capped": is_capped,
            "thread_count": thread_count,
            "article_count": other_count,
        },
    )


@require_GET
def tag_suggest(request):
    """Existing tags starting with `q`: JSON, or `<option>`s for an HTMX datalist."""
    prefix = request.GET.get("q", request.GET.get("tag_names", "")).split(",")[-1]
    names = suggested_tag_names(viewer=request.user, prefix=prefix[:40])
    if is_htmx(request):
        return render(request, "components/tag_options.html", {"names": names})
    return JsonResponse({"tags": names})
