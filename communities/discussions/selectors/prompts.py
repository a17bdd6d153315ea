"""Reads of scheduled prompts for the managers' page."""

from django.db.models import QuerySet

from communities.core.models.communities import Community
from communities.discussions.models.prompts import PromptStatus, ScheduledPrompt


def _prompts(community: Community) -> QuerySet[ScheduledPrompt]:
    return (
        ScheduledPrompt.objects.filter(community=community)
        .select_related("author", "published_thread")
        .prefetch_related("tags")
    )


def upcoming_prompts(*, community: Community) -> QuerySet[ScheduledPrompt]:
    """Prompts still waiting for their time, soonest first, with author, thread and tags."""
    return _prompts(community).filter(status=PromptStatus.SCHEDULED).order_by("publish_at", "pk")


def past_prompts(*, community: Community) -> QuerySet[ScheduledPrompt]:
    """Published, cancelled and failed prompts, latest first."""
    return _prompts(community).exclude(status=PromptStatus.SCHEDULED).order_by("-publish_at", "-pk")
