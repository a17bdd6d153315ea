from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from communities.core.text import single_line

TAG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}\Z"
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


def normalise_tag_name(raw: str | None) -> str:
    """The one tag normaliser: `" #Peer-Review "` is `"peer-review"`."""
    return single_line(raw).lower().lstrip("#")


def is_valid_tag_name(name: str) -> bool:
    try:
        tag_name_validator(name)
    except ValidationError:
        return False
    return True


def normalise_tag_names(raw_names) -> tuple[list[str], list[str]]:
    """Normalised, de-duplicated names in their order, and those of them that can't be used
    (each caller says so in its own words)."""
    names: list[str] = []
    for raw in raw_names:
        name = normalise_tag_name(raw)
        if name and name not in names:
            names.append(name)
    return names, [name for name in names if not is_valid_tag_name(name)]


def parse_tag_names(raw: str) -> list[str]:
    """Names from a comma-separated field, each checked; one message names every name that
    can't be used."""
    names, bad = normalise_tag_names((raw or "").replace(";", ",").split(","))
    if bad:
        raise ValidationError(
            "These tags can't be used: %(bad)s. Use lowercase letters, digits and hyphens.",
            params={"bad": ", ".join(bad)},
        )
    return names
