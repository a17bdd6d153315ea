from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class CommunityKind(models.TextChoices):
    LEARNING = "learning", "Learning community"
    PRACTICE = "practice", "Community of practice"


class Visibility(models.TextChoices):
    OPEN = "open", "Open: anyone sees and joins"
    RESTRICTED = "restricted", "Restricted: visible, joining needs approval"
    PRIVATE = "private", "Private: hidden, by invitation only"


class Stage(models.TextChoices):
    POTENTIAL = "potential", "Potential"
    COALESCING = "coalescing", "Coalescing"
    MATURING = "maturing", "Maturing"
    STEWARDSHIP = "stewardship", "Stewardship"
    TRANSFORMATION = "transformation", "Transformation"


class Community(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    purpose = models.TextField(max_length=2000)
    audience = models.TextField("who it is for", max_length=1000, blank=True)
    guidelines = models.TextField(max_length=20000, blank=True, help_text="Markdown")
    guidelines_version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=12, choices=CommunityKind.choices)
    visibility = models.CharField(max_length=12, choices=Visibility.choices)
    is_chatham_house = models.BooleanField("Chatham House rule applies", default=False)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.POTENTIAL)
    tags = models.ManyToManyField("communities.Tag", blank=True, related_name="communities")
    member_count = models.PositiveIntegerField(default=0, editable=False)
    # Summed weight of open flags at which a post or thread is hidden pending review.
    flag_hide_threshold = models.FloatField(
        "hide flagged content at weight",
        default=3.0,
        validators=[MinValueValidator(1.0), MaxValueValidator(100.0)],
        help_text="Open flags on a post add up (a moderator's flag weighs 3, a member's 1 or "
        "more by their record); at this weight the post is hidden until a moderator decides.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Started by a brand-new account: hidden from anonymous visitors until staff approve it
    # or the account is established (communities/core/newcomers.py).
    is_held_for_review = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"
        # The directory's order (name, then id): its page comes through this index.
        indexes = [models.Index(fields=["name", "id"], name="community_directory_order")]
        permissions = [
            ("moderate_community", "Can moderate the community"),
            ("manage_community", "Can manage the community"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    CHAMPION = "champion", "Champion"
    MODERATOR = "moderator", "Moderator"
    MANAGER = "manager", "Manager"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACTIVE = "active", "Active"
    LEFT = "left", "Left"
    BANNED = "banned", "Banned"


class Membership(models.Model):
    # Whether the agreement is to the current guidelines, where `rules.active_membership`
    # loaded the row; not stored.
    is_current: bool | None = None

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    agreed_to_guidelines_at = models.DateTimeField(null=True, blank=True)
    agreed_guidelines_version = models.PositiveIntegerField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="one_membership_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


class LifecycleTransition(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="stage_transitions"
    )
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    reason = models.TextField(max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.community}: {self.from_stage} → {self.to_stage}"
