"""What the knowledge base adds to communities' pages, through communities' hooks."""

from django.template.loader import render_to_string
from django.urls import reverse

from knowledge import permissions, selectors
from knowledge.models import ArticlePage, Audience


def thread_annotations() -> dict:
    """Whether the thread was harvested, read with the thread page's own thread query (the same
    for every viewer: the query is compiled once)."""
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


def search_source(viewer, query: str, *, community=None, tag: str = "", kind: str = ""):
    """Articles for the one search on /search/ (`hooks.SEARCH_SOURCES`): ranked hits the viewer
    may read, and their list rows ("Article", its kind) for the page shown."""
    if not query or kind == "questions":
        return None
    hits = selectors.article_search_hits(viewer=viewer, query=query, community=community, tag=tag)
    return {"hits": hits, "rows": article_rows}


def article_rows(request, ids) -> dict:
    """{id: list row HTML} for a page of search results, in constant queries."""
    return {
        article.pk: render_to_string(
            "knowledge/_article_row.html", {"article": article}, request=request
        )
        for article in selectors.articles_in_order(ids)
    }


HARVEST_ITEMS_SHOWN = 5


def harvest_action(community) -> list[dict]:
    """For the gardener's dashboard (`hooks.GARDENER_ACTIONS`): answered threads not yet in
    the knowledge base, the newest few linked, in two queries whatever their number."""
    threads = selectors.not_yet_harvested(community)
    count = threads.count()
    if not count:
        return []
    shown = threads.only("pk", "title", "community_id")[:HARVEST_ITEMS_SHOWN]
    return [
        {
            "verb": "harvest",
            "label": "Answered threads not yet in the knowledge base",
            "count": count,
            "url": reverse("communities:thread-list", args=[community.slug]),
            "items": [
                (
                    thread.title,
                    reverse("communities:thread-detail", args=[community.slug, thread.pk]),
                )
                for thread in shown
            ],
        }
    ]


def meeting_panel(request, meeting) -> str:
    """Under a circle meeting's notes, for the circle's members: "Harvest a lesson learned",
    the lessons drawn from it, and the facilitator's "the circle agreed to share" choice. At
    most two queries; none for a meeting without notes (nothing to harvest)."""
    viewer = request.user
    if not meeting.notes.strip() or not permissions.is_circle_member(viewer, meeting.circle):
        return ""
    # The circle's members read every lesson of their circle: one query finds them all.
    drawn = list(ArticlePage.objects.filter(source_meeting=meeting).order_by("pk"))
    lessons = [article for article in drawn if article.live]
    draft = next((a for a in drawn if not a.live and a.first_published_at is None), None)
    may_harvest = permissions.meeting_harvest_refusal(viewer, meeting) is None
    to_share = [
        article
        for article in [*lessons, *([draft] if draft else [])]
        if article.audience == Audience.SOURCE_CIRCLE
        and permissions.can_share_lesson(viewer, article, meeting=meeting)
    ]
    return render_to_string(
        "knowledge/_meeting_panel.html",
        {
            "meeting": meeting,
            "lessons": lessons,
            "draft": draft,
            "may_harvest": may_harvest,
            "to_share": to_share,
        },
        request=request,
    )
