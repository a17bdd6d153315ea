"""The knowledge base as Wagtail pages: home > topic > article, with sources and credits."""

import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PagePermissionTester
from wagtail.search import index

from communities.public import single_line, stemmed_text
from knowledge.blocks import ArticleBodyBlock


class ArticleKind(models.TextChoices):
    FAQ = "faq", "FAQ"
    HOW_TO = "how_to", "How-to"
    BEST_PRACTICE = "best_practice", "Best practice"
    CASE_STUDY = "case_study", "Case study"
    LESSON_LEARNED = "lesson_learned", "Lesson learned"


# How long an article of each kind stays fresh before someone must look at it again.
REVIEW_MONTHS = {
    ArticleKind.FAQ: 12,
    ArticleKind.HOW_TO: 6,
    ArticleKind.BEST_PRACTICE: 12,
    ArticleKind.CASE_STUDY: 24,
    ArticleKind.LESSON_LEARNED: 12,
}


def review_due_on(kind: str, start: datetime.date | None = None) -> datetime.date:
    start = start or timezone.localdate()
    return start + datetime.timedelta(days=30 * REVIEW_MONTHS.get(kind, 12))


class Authority(models.TextChoices):
    OFFICIAL = "official", "Official"
    COMMUNITY = "community", "Community"
    VERIFIED = "verified", "Verified"


class Audience(models.TextChoices):
    # A lesson harvested from a circle meeting, until its facilitator records that the circle
    # agreed to share it with the community.
    SOURCE_CIRCLE = "circle", "Members of the source circle"
    SOURCE_COMMUNITY = "community", "Readers of the source community"
    EVERYONE = "everyone", "Everyone (opened by an editor)"


class KnowledgeHomePage(Page):
    """The root of the knowledge base, served at /kb/."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, "intro"]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["knowledge.TopicPage"]
    max_count = 1

    class Meta:
        verbose_name = "knowledge home"

    def get_context(self, request, *args, **kwargs):
        from knowledge import selectors

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:200]
        context.update(selectors.home_context(viewer=request.user, query=query))
        context["query"] = query
        return context


class TopicPage(Page):
    """A topic: an area of practice, optionally tied to one tag of the shared vocabulary."""

    intro = RichTextField(blank=True)
    tag = models.ForeignKey(
        "communities.Tag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = [*Page.content_panels, "intro", "tag"]
    parent_page_types = ["knowledge.KnowledgeHomePage"]
    subpage_types = ["knowledge.ArticlePage"]

    class Meta:
        verbose_name = "topic"

    def get_context(self, request, *args, **kwargs):
        from knowledge import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.topic_context(viewer=request.user, topic=self))
        return context


class ArticlePermissionTester(PagePermissionTester):
    """Wagtail's page permissions, plus "change" for the managers of the article's source
    community: they edit it and submit it to the editors' workflow; they don't publish."""

    def __init__(self, user, page):
        from knowledge import permissions

        super().__init__(user, page)
        if (
            user.is_active
            and not user.is_superuser
            and permissions.manages_source_community(user, page)
        ):
            self.permissions = self.permissions | {"change"}


class ArticleForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        from knowledge import permissions

        super().__init__(*args, **kwargs)
        # Who reads an article follows its source community: only editors may move it.
        if "source_community" in self.fields and not permissions.is_editor(self.for_user):
            self.fields["source_community"].disabled = True


class ArticlePage(Page):
    kind = models.CharField(max_length=20, choices=ArticleKind.choices, default=ArticleKind.FAQ)
    summary = models.TextField(max_length=1000, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ParentalManyToManyField("communities.Tag", blank=True, related_name="+")
    source_community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Its members are the readers unless an editor opens the article to everyone.",
    )
    authority = models.CharField(
        max_length=12, choices=Authority.choices, default=Authority.COMMUNITY
    )
    source_circle = models.ForeignKey(
        "communities.Circle",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    source_meeting = models.ForeignKey(
        "communities.CircleMeeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # State kept across revisions (see `with_content_json`): changed only by the services.
    audience = models.CharField(
        max_length=12, choices=Audience.choices, default=Audience.SOURCE_COMMUNITY
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    # The circle's agreement to share a meeting's lesson with its community, as recorded by
    # the meeting's facilitator.
    circle_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    circle_agreed_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField("review by", null=True, blank=True, db_index=True)
    reviewed_at = models.DateTimeField("last reviewed", null=True, blank=True)
    is_obsolete = models.BooleanField(default=False)
    source_changed_at = models.DateTimeField(null=True, blank=True)
    helpful_count = models.PositiveIntegerField(default=0)
    unhelpful_count = models.PositiveIntegerField(default=0)
    # "Not helpful" answers since the last review: several put the article in the audit queue.
    unhelpful_since_review = models.PositiveIntegerField(default=0)

    STATE_FIELDS = (
        "audience",
        "opened_by_id",
        "opened_at",
        "circle_agreed_by_id",
        "circle_agreed_at",
        "review_on",
        "reviewed_at",
        "is_obsolete",
        "source_changed_at",
        "helpful_count",
        "unhelpful_count",
        "unhelpful_since_review",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(["kind", "authority", "source_community"], heading="About"),
        "summary",
        "body",
        FieldPanel("tags", widget=forms.CheckboxSelectMultiple),
        InlinePanel("sources", label="Source threads"),
        InlinePanel("credits", label="Credited people"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("owner")]
    base_form_class = ArticleForm
    parent_page_types = ["knowledge.TopicPage"]
    subpage_types: list[str] = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("search_stems"),
        index.FilterField("is_obsolete"),
        index.FilterField("source_community_id"),
        index.FilterField("kind"),
        index.FilterField("page_ptr_id"),
    ]

    class Meta:
        verbose_name = "article"

    def search_stems(self) -> str:
        # SQLite's index does not stem: it keeps the stems beside the words, as for threads.
        body = self._meta.get_field("body").get_searchable_content(self.body)
        return stemmed_text(self.title, self.summary, *body)

    def clean(self):
        # Wagtail puts the title in its workflow emails' subjects: one line, like every name.
        self.title = single_line(self.title)
        super().clean()
        if self.review_on is None:
            self.review_on = review_due_on(self.kind)

    def permissions_for_user(self, user):
        return ArticlePermissionTester(user, self)

    def with_content_json(self, content):
        # Audience, freshness and counters belong to the article, not to one revision of it:
        # publishing an older draft must not reopen, un-verify or reset them.
        obj = super().with_content_json(content)
        for name in self.STATE_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    @property
    def is_stale(self) -> bool:
        return self.review_on is not None and self.review_on < timezone.localdate()

    @property
    def is_chatham_house(self) -> bool:
        return bool(self.source_community_id and self.source_community.is_chatham_house)

    def serve(self, request, *args, **kwargs):
        from knowledge import selectors

        # Previews come through the admin, which has checked the editor already.
        if not getattr(request, "is_preview", False) and not selectors.may_read(request.user, self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from knowledge import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.article_context(viewer=request.user, article=self))
        return context


class ArticleSource(Orderable):
    """A thread the article was harvested from, with the thread's state at that moment so a
    job can tell when the conversation moved on."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="sources")
    thread = models.ForeignKey(
        "communities.Thread", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    harvested_at = models.DateTimeField(default=timezone.now)
    harvested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_answer_at_harvest = models.BigIntegerField(null=True, blank=True, editable=False)
    verified_answer_at_harvest = models.BigIntegerField(null=True, blank=True, editable=False)
    replies_at_harvest = models.PositiveIntegerField(default=0, editable=False)

    panels = ["thread"]

    class Meta(Orderable.Meta):
        verbose_name = "source thread"
        indexes = [models.Index(fields=["thread"])]

    def __str__(self) -> str:
        return f"Thread {self.thread_id} in article {self.page_id}"


class ArticleCredit(Orderable):
    """A person whose words the article draws on."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    panels = ["user"]

    class Meta(Orderable.Meta):
        verbose_name = "credit"
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="one_credit_per_person")
        ]

    def __str__(self) -> str:
        return f"Credit to {self.user_id} in article {self.page_id}"
