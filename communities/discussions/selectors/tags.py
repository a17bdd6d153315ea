"""Tags a person may see: names offered while typing, a tag's page (its threads, experts)."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from communities.core.models.people import User
from communities.core.models.tags import Tag
from communities.core.selectors import visible_communities
from communities.discussions.models.badges import AwardedBadge, BadgeKind
from communities.discussions.models.threads import Thread
from communities.discussions.selectors.threads import visible_threads


def _seen_by(viewer) -> Q:
    return (
        Q(Exists(visible_threads(viewer).filter(tags=OuterRef("pk"))))
        | Q(Exists(visible_communities(viewer).filter(tags=OuterRef("pk"))))
        | Q(Exists(User.objects.filter(is_active=True, expertise=OuterRef("pk"))))
    )


def suggested_tag_names(*, viewer, prefix: str, limit: int = 10) -> list[str]:
    """Existing tags starting with `prefix` that `viewer` could already see somewhere: on a
    thread they may read, on a community they may know of, or as someone's expertise on a
    public profile. A tag used only inside a private community or a circle is never offered
    to outsiders, since its name alone can tell what is discussed there."""
    prefix = (prefix or "").strip().lower()
    if not prefix:
        return []
    seen = _seen_by(viewer)
    return list(
        Tag.objects.filter(name__startswith=prefix)
        .filter(seen)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )


def tag_seen_by(*, viewer, name: str) -> Tag | None:
    """The tag called `name` if `viewer` could already see it somewhere (the rule of
    `suggested_tag_names`); None otherwise, so a tag used only inside a private community or
    a circle has no page for outsiders."""
    seen = _seen_by(viewer)
    return Tag.objects.filter(name=(name or "").strip().lower()).filter(seen).first()


def threads_with_tag(*, viewer, tag: Tag) -> QuerySet[Thread, int]:
    """Threads carrying `tag` that `viewer` may read, latest activity first (ids through the
    index; load a page of them with `threads_in_order`)."""
    return (
        visible_threads(viewer)
        .filter(tags=tag)
        .order_by("-last_activity_at", "-pk")
        .values_list("pk", flat=True)
    )


@dataclass
class TagExperts:
    verified: list[AwardedBadge]
    people: list[User]


def experts_for_tag(*, viewer, tag: Tag, limit: int = 12) -> TagExperts:
    """Who knows about `tag`: verified experts for it in communities `viewer` may know of
    (with the community), and people naming it as their expertise on their public profile.
    Two queries, whatever the number of experts."""
    verified = list(
        AwardedBadge.objects.filter(
            kind=BadgeKind.VERIFIED_EXPERT,
            tag=tag,
            user__is_active=True,
            community__in=visible_communities(viewer),
        )
        .select_related("user", "community")
        .order_by("user__username", "community__name")[:limit]
    )
    people = list(User.objects.filter(is_active=True, expertise=tag).order_by("username")[:limit])
    return TagExperts(verified=verified, people=people)
