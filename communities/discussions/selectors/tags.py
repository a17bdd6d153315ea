"""Tag names a person may be offered while typing."""

from django.db.models import Exists, OuterRef, Q

from communities.core.models.people import User
from communities.core.models.tags import Tag
from communities.core.selectors import visible_communities
from communities.discussions.selectors.threads import visible_threads


def suggested_tag_names(*, viewer, prefix: str, limit: int = 10) -> list[str]:
    """Existing tags starting with `prefix` that `viewer` could already see somewhere: on a
    thread they may read, on a community they may know of, or as someone's expertise on a
    public profile. A tag used only inside a private community or a circle is never offered
    to outsiders, since its name alone can tell what is discussed there."""
    prefix = (prefix or "").strip().lower()
    if not prefix:
        return []
    seen = (
        Q(Exists(visible_threads(viewer).filter(tags=OuterRef("pk"))))
        | Q(Exists(visible_communities(viewer).filter(tags=OuterRef("pk"))))
        | Q(Exists(User.objects.filter(is_active=True, expertise=OuterRef("pk"))))
    )
    return list(
        Tag.objects.filter(name__startswith=prefix)
        .filter(seen)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )
