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
