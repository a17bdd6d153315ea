"""Threads and their replies, with the earlier versions every edit keeps."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.search import index

from communities.core.stemming import stemmed_text

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
MAX_TAGS_PER_THREAD = 5


class ThreadKind(models.TextChoices):
    QUESTION = "question", "Question"
    DISCUSSION = "discussion", "Discussion"
    PROMPT = "prompt", "Prompt"
    SHOWCASE = "showcase", "Showcase (working out loud)"
    RETROSPECTIVE = "retrospective", "Retrospective"


class QuestionStatus(models.TextChoices):
    UNANSWERED = "unanswered", "Unanswered"
    ANSWERED = "answered", "Answered"
    ACCEPTED = "accepted", "Accepted"


def validate_body(text: str, *, what: str = "The text") -> None:
    """One message for empty and oversized bodies, used by forms and services alike."""
    if not (text or "").strip():
        raise ValidationError(f"{what} is empty; write something first.", code="empty")
    if len(text) > BODY_MAX_LENGTH:
        raise ValidationError(
            f"{what} is {len(text):,} characters long; keep it under {BODY_MAX_LENGTH:,}.",
            code="too_long",
        )


class Thread(index.Indexed, models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="threads"
    )
    # A circle thread is visible to that circle's active members only.
    circle = models.ForeignKey(
        "communities.Circle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    kind = models.CharField(max_length=16, choices=ThreadKind.choices)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH, help_text="Markdown")
    # `body` rendered and sanitised once, by the services that write it (see rendering.py).
    body_html = models.TextField(blank=True, default="", editable=False)
    tags = models.ManyToManyField("communities.Tag", blank=True, related_name="threads")
    # Kept even for anonymous questions, for abuse handling and rate limits; never shown.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="threads"
    )
    is_anonymous = models.BooleanField(default=False)
    accepted_answer = models.ForeignKey(
        "communities.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_answer = models.ForeignKey(
        "communities.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_locked = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    # Set when a moderator closed this question as a duplicate: the thread readers are sent to.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # What list rows show, kept by `services/counters.py` in the transaction of each reply,
    # hide, restore, delete and vote, so lists never count posts. Replies hidden by the
    # moderators are left out for every viewer (moderators see them on the thread page).
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    answer_count = models.PositiveIntegerField(default=0, editable=False)
    total_votes = models.IntegerField(default=0, editable=False)

    # The services keep the index current, inside the transaction of the write.
    search_auto_update = False
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("body"),
        index.SearchField("search_reply_text"),
        index.SearchField("search_stems"),
        index.FilterField("id"),
        index.FilterField("community_id"),
        index.FilterField("created_at"),
    ]

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "-last_activity_at"]),
            # The thread list's other sorts take their page of ids through these.
            models.Index(fields=["community", "-created_at"], name="thread_community_newest"),
            models.Index(
                fields=["community", "-total_votes", "-last_activity_at"],
                name="thread_community_votes",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(kind="question"),
                name="only_questions_are_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION

    def search_reply_text(self) -> str:
        return "\n".join(
            self.posts.filter(is_hidden=False).order_by("pk").values_list("body", flat=True)
        )

    def search_stems(self) -> str:
        # SQLite's index does not stem: it keeps the stems beside the words (core.stemming).
        return stemmed_text(self.title, self.body, self.search_reply_text())

    def clean(self) -> None:
        super().clean()
        if self.is_anonymous and self.kind != ThreadKind.QUESTION:
            raise ValidationError({"is_anonymous": "Only questions can be asked anonymously."})


class Post(models.Model):
    """A reply: an answer under the thread, or a reply nested one level under an answer."""

    # What the thread page's selector sets for its viewer; never stored.
    is_accepted: bool = False
    is_verified: bool = False
    shown_author: Any = None
    # A hidden reply shown to this viewer only as "hidden by a moderator".
    is_placeholder: bool = False
    # An answer's nested replies, oldest first (set by the selector with the answers).
    replies: list["Post"]

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH, help_text="Markdown")
    body_html = models.TextField(blank=True, default="", editable=False)
    is_hidden = models.BooleanField(default=False)
    vote_count = models.IntegerField(default=0)
    thanks_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # The new-member limits read a person's own recent replies through this index.
        indexes = [
            models.Index(fields=["author", "created_at"], name="communities_post_author_recent")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="post_is_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"Reply {self.pk} in thread {self.thread_id}"


class ThreadRevision(models.Model):
    """The title and body a thread had before an edit; read by moderators."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Earlier version of thread {self.thread_id}"


class PostRevision(models.Model):
    """The body a reply had before an edit; read by moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Earlier version of reply {self.post_id}"
