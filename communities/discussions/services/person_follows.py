"""Following and unfollowing a person."""

from django.core.exceptions import ValidationError
from django.db import transaction

from communities.core.models.people import User
from communities.discussions.models.person_follows import PersonFollow


def set_person_follow(*, user: User, person: User, follow: bool) -> bool:
    """Follow (or unfollow) `person`: their new threads and answers, where `user` may read
    them, appear on `user`'s home. Returns whether anything changed; idempotent."""
    if not user.is_authenticated:
        raise ValidationError("Sign in to follow people.")
    if user.pk == person.pk:
        raise ValidationError("You can't follow yourself.")
    with transaction.atomic(durable=True):
        if follow:
            return PersonFollow.objects.get_or_create(follower=user, person=person)[1]
        deleted, _ = PersonFollow.objects.filter(follower=user, person=person).delete()
        return bool(deleted)
