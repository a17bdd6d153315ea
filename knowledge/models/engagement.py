"""What readers and owners do with articles: helpful votes, follows, review reminders."""

from django.conf import settings
from django.db import models
from django.utils import timezone

NOTE_MAX_LENGTH = 1000


class ArticleFeedback(models.Model):
    """One reader's answer to "Did this help?", with an optional note for the owner."""

    article = models.ForeignKey(
        "knowledge.ArticlePage", on_delete=models.CASCADE, related_name="feedback"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_helpful = models.BooleanField()
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_feedback_per_reader")
        ]

    def __str__(self) -> str:
        return f"{'Helpful' if self.is_helpful else 'Not helpful'}: article {self.article_id}"


class KnowledgeFollow(models.Model):
    """A person following an article or a topic page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_follows"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="one_follow_per_page")]

    def __str__(self) -> str:
        return f"{self.user_id} follows page {self.page_id}"


class ReviewReminder(models.Model):
    """Claims "this article was in its owner's review email for this period", so the weekly
    job sends each article at most once per period however often it runs."""

    article = models.ForeignKey("knowledge.ArticlePage", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_start_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "period_start_on"], name="one_reminder_per_article_period"
            )
        ]

    def __str__(self) -> str:
        return f"Review reminder for article {self.article_id} ({self.period_start_on})"


class CreditPreference(models.Model):
    """Whether a person agrees to be named and linked as a contributor of knowledge base
    articles harvested from their words. Without a row they are credited (their posts already
    carry their name); saying no removes them from every article's credits and excerpts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_credit"
    )
    wants_credit = models.BooleanField("credit me by name in knowledge base articles", default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} {'wants' if self.wants_credit else 'declines'} credit"


class FollowNotice(models.Model):
    """One email to a follower about one event of an article ("new" in a followed topic,
    "updated:<revision>", "obsolete"); the row makes it go out once (`send_once`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("knowledge.ArticlePage", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article", "event"], name="one_follow_notice_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} of article {self.article_id} for {self.user_id}"
