from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

TAG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
tag_name_validator = RegexValidator(
    TAG_PATTERN,
    "Tags use lowercase letters, digits and hyphens (up to 40 characters), like “peer-review”.",
)


class Tag(models.Model):
    """One shared vocabulary for community topics, expertise and thread tags."""

    name = models.CharField(max_length=40, unique=True, validators=[tag_name_validator])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def parse_tag_names(raw: str) -> list[str]:
    """Lower-cased names from a comma-separated field, each checked; one message names every
    name that can't be used."""
    names = []
    for part in (raw or "").replace(";", ",").split(","):
        name = part.strip().lower()
        if name and name not in names:
            names.append(name)
    bad = []
    for name in names:
        try:
            tag_name_validator(name)
        except ValidationError:
            bad.append(name)
    if bad:
        raise ValidationError(
            "These tags can't be used: %(bad)s. Use lowercase letters, digits and hyphens.",
            params={"bad": ", ".join(bad)},
        )
    return names
