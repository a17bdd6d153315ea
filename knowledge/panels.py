"""What the knowledge base adds to communities' pages, through communities' hooks."""

from django.template.loader import render_to_string

from knowledge import permissions, selectors


def thread_annotations(viewer) -> dict:
    """Whether the thread was harvested, read with the thread page's own thread query."""
    return {"knowledge_harvested": selectors.harvested_q()}


def thread_panel(request, thread) -> str:
    """ "Harvested into <article>" links and, for those allowed, "Harvest to knowledge base"."""
    viewer = request.user
    may_harvest = permissions.can_harvest(viewer, thread)
    # Most threads were never harvested: one cheap query answers the panel for them.
    harvested = getattr(thread, "knowledge_harvested", None)
    if harvested is None:
        harvested = selectors.has_been_harvested(thread)
    articles = selectors.harvested_into(viewer=viewer, thread=thread) if harvested else []
    draft = selectors.pending_draft_for(thread) if may_harvest and harvested else None
    if not (articles or may_harvest):
        return ""
    return render_to_string(
        "knowledge/_thread_panel.html",
        {"articles": articles, "may_harvest": may_harvest, "draft": draft, "thread": thread},
        request=request,
    )


def search_section(request, query: str, community=None) -> str:
    """Matching articles the viewer may read, above the thread results on /search/."""
    if not query:
        return ""
    results = selectors.search_articles(viewer=request.user, query=query)
    articles = selectors.articles_in_order(results[: selectors.SEARCH_SECTION_SIZE])
    return render_to_string(
        "knowledge/_search_section.html",
        {"articles": articles, "query": query},
        request=request,
    )
