from django.db import transaction

from communities.core.errors import NotAllowed
from communities.core.models.people import User
from communities.core.models.tags import Tag, normalise_tag_names, tag_name_validator
from communities.core.text import single_line

PROFILE_FIELDS = (
    "display_name",
    "bio",
    "motivation",
    "timezone",
    "digest_frequency",
    "notify_by_email",
    "notify_on_follows",
)


def tags_from_names(names: list[str]) -> list[Tag]:
    """Existing or new tags for validated, lower-cased names."""
    cleaned, bad = normalise_tag_names(names)
    if bad:
        tag_name_validator(bad[0])
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    missing = [Tag(name=name) for name in cleaned if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    return [existing[name] for name in cleaned]


def update_profile(*, actor: User, user: User, expertise: list[str], **fields) -> User:
    """Change a person's profile; only they (or staff) may. Validates everything first."""
    if actor.pk != user.pk and not actor.is_staff:
        raise NotAllowed("You can only edit your own profile.")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    if "display_name" in fields:
        fields["display_name"] = single_line(fields["display_name"])
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password", "username", "email", "last_login", "date_joined"])
    tags = tags_from_names(expertise)
    with transaction.atomic(durable=True):
        user.save(update_fields=list(fields))
        user.expertise.set(tags)
    return user
