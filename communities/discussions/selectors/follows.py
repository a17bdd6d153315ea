"""Reads of follows: what a person follows, as flags for buttons and as a thread filter."""

from django.db.models import BooleanField, Exists, OuterRef, Q, Value

from communities.discussions.models.notifications import Follow


def followed_threads_q(viewer, thread_ref: str = "pk") -> Q:
    """`Q` for threads `viewer` follows: directly, or through one of the thread's tags."""
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    direct = Follow.objects.filter(user_id=viewer.pk, thread=OuterRef(thread_ref))
    by_tag = Follow.objects.filter(user_id=viewer.pk, tag__threads=OuterRef(thread_ref))
    return Q(Exists(direct)) | Q(Exists(by_tag))


def followed_directly(viewer, thread_ref: str = "pk"):
    """An expression: whether `viewer` follows the thread at `thread_ref` itself."""
    if not viewer.is_authenticated:
        return Value(False, output_field=BooleanField())
    return Exists(Follow.objects.filter(user_id=viewer.pk, thread=OuterRef(thread_ref)))


def is_following(viewer, *, thread=None, tag_name=None, tag=None, community=None) -> bool:
    """Whether `viewer` follows the one thread, tag (or tag by name) or community given;
    one query, none when there is nothing to ask about."""
    target = {"thread": thread, "tag__name": tag_name, "tag": tag, "community": community}
    target = {key: value for key, value in target.items() if value is not None}
    if not viewer.is_authenticated or len(target) != 1:
        return False
    return Follow.objects.filter(user_id=viewer.pk, **target).exists()
