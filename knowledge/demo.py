"""Knowledge base demo data, built on top of the communities demo. Safe to run again."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.rich_text import RichText

from communities.models import Community, Tag, Thread, User
from knowledge.models import (
    ArticleKind,
    ArticlePage,
    Authority,
    KnowledgeHomePage,
    TopicPage,
    review_due_on,
)
from knowledge.permissions import EDITORS_GROUP

TOPICS = [
    ("Facilitation", "facilitation", "Opening, running and closing sessions people want to join."),
    ("Peer review", "peer-review", "Giving and receiving feedback between practitioners."),
    ("Data engineering", "data-engineering", "Pipelines, tests and calm data habits."),
    ("User research", "ux-research", "Interviews, synthesis and sharing what users taught us."),
    ("Leadership", "leadership", "The first years of leading a team."),
]  # fmt: skip

ARTICLES = [
    # topic slug, title, kind, authority, community slug, summary, body paragraphs
    ("facilitation", "Run a 1-2-4-all in ten minutes", ArticleKind.HOW_TO, Authority.OFFICIAL,
     "facilitation", "A format that gets every voice into the room without anyone speaking to "
     "the whole group first.",
     ["One minute alone, two in pairs, four in fours, then the whole room.",
      "Keep a visible timer; stop on time even when the talk is good."]),
    ("facilitation", "Close every workshop with a minute of silence", ArticleKind.BEST_PRACTICE,
     Authority.COMMUNITY, "facilitation", "Why a quiet minute before the closing round works.",
     ["People remember what they noticed, not what they were told."]),
    ("facilitation", "Case study: a public-sector retrospective across five timezones",
     ArticleKind.CASE_STUDY, Authority.COMMUNITY, "facilitation",
     "What a distributed team changed after three async retrospectives.",
     ["An async board for a week, a 30 minute call to decide."]),
    ("peer-review", "What makes feedback useful to a more experienced peer", ArticleKind.FAQ,
     Authority.COMMUNITY, None, "Describe what you noticed; leave judging to the author.",
     ["Observations are useful from anyone.", "Ask one question you would like answered."]),
    ("data-engineering", "Test your pipelines with small, named fixtures", ArticleKind.HOW_TO,
     Authority.VERIFIED, "data-engineering", "Tests that read like stories make failures obvious.",
     ["Name each fixture for the situation it sets up.", "Assert on outcomes, not on calls."]),
    ("data-engineering", "Lesson learned: the backfill that ran twice", ArticleKind.LESSON_LEARNED,
     Authority.COMMUNITY, "data-engineering", "Idempotent loads, and why we now key every batch.",
     ["Every batch now carries a key; a second run changes nothing."]),
    ("ux-research", "Recruit hard-to-reach participants through community partners",
     ArticleKind.BEST_PRACTICE, Authority.COMMUNITY, "ux-research-guild",
     "Partners who already have trust open doors that incentives don't.",
     ["Ask partners what they need from the research, and give it back."]),
    ("leadership", "Your first one-to-ones: a lesson learned", ArticleKind.LESSON_LEARNED,
     Authority.COMMUNITY, "new-leaders", "Listen first; the agenda belongs to them.",
     ["Shared under the Chatham House rule: nobody is named."]),
    ("leadership", "FAQ: how often should a new manager hold one-to-ones?", ArticleKind.FAQ,
     Authority.OFFICIAL, None, "Weekly for the first three months, then agree together.",
     ["Thirty minutes, their agenda first."]),
    ("data-engineering", "Choose SQL or Python for a transformation", ArticleKind.FAQ,
     Authority.COMMUNITY, "data-engineering", "Start in SQL; move to Python when it hurts.",
     ["Set-based work belongs in the database."]),
]  # fmt: skip

HARVESTED = [
    "How do you get a quiet group to talk in the first ten minutes?",
    "Is it normal to feel like an impostor when giving peer feedback?",
]
IN_REVIEW = "What does a healthy community of practice look like to you?"


def _topic(home, title, tag_name, intro) -> TopicPage:
    topic = TopicPage.objects.child_of(home).filter(slug=tag_name).first()
    if topic is None:
        topic = TopicPage(
            title=title,
            slug=tag_name,
            intro=f"<p>{intro}</p>",
            tag=Tag.objects.get_or_create(name=tag_name)[0],
        )
        home.add_child(instance=topic)
        topic.save_revision().publish()
    return topic


def seed_knowledge_demo(sender=None, stdout=None, **kwargs):
    from knowledge.services import harvest_thread

    home = KnowledgeHomePage.objects.first()
    if home is None or ArticlePage.objects.exists():
        return
    people = {user.username: user for user in User.objects.filter(username__isnull=False)}
    editor = people.get("sam_staff")
    if editor is None:
        return
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    topics = {slug: _topic(home, title, slug, intro) for title, slug, intro in TOPICS}
    communities = {community.slug: community for community in Community.objects.all()}

    written = []
    for topic_slug, title, kind, authority, community_slug, summary, paragraphs in ARTICLES:
        page = ArticlePage(
            title=title,
            kind=kind,
            authority=authority,
            summary=summary,
            source_community=communities.get(community_slug) if community_slug else None,
            owner=editor,
            review_on=review_due_on(kind),
            body=[("text", RichText("".join(f"<p>{text}</p>" for text in paragraphs)))],
        )
        topics[topic_slug].add_child(instance=page)
        page.save_revision(user=editor).publish(user=editor)
        written.append(page)

    manager = people["maya"]
    harvested = []
    for title in HARVESTED:
        thread = Thread.objects.filter(title=title).first()
        if thread is not None:
            draft = harvest_thread(thread, by=manager)
            ArticlePage.objects.get(pk=draft.pk).get_latest_revision().publish(user=editor)
            harvested.append(draft)

    today = timezone.localdate()
    ArticlePage.objects.filter(pk=written[1].pk).update(
        review_on=today - datetime.timedelta(days=20)
    )
    if harvested:
        ArticlePage.objects.filter(pk=harvested[0].pk).update(source_changed_at=timezone.now())

    _seed_circle_lesson(editor)

    thread = Thread.objects.filter(title=IN_REVIEW).first()
    if thread is not None:
        draft = ArticlePage.objects.get(pk=harvest_thread(thread, by=manager).pk)
        draft.get_workflow().start(draft, editor)
    if stdout is not None:
        stdout.write(
            f"Knowledge base: {ArticlePage.objects.count()} articles in "
            f"{len(topics)} topics (editor: {editor.email})."
        )


def _seed_circle_lesson(editor) -> None:
    """A lesson harvested from the first circle meeting with notes, published for that circle
    alone (its facilitator has not recorded any agreement to share it)."""
    from communities.models import CircleMeeting
    from knowledge.services import harvest_meeting

    meeting = (
        CircleMeeting.objects.exclude(notes="")
        .filter(facilitator__isnull=False)
        .select_related("circle", "facilitator")
        .order_by("pk")
        .first()
    )
    if meeting is None:
        return
    lesson = harvest_meeting(meeting, by=meeting.facilitator)
    ArticlePage.objects.get(pk=lesson.pk).get_latest_revision().publish(user=editor)
