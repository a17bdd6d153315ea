from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from guardian.admin import GuardedModelAdmin

from communities.models import (
    AuditEntry,
    AwardedBadge,
    Circle,
    CircleMeeting,
    Community,
    Invitation,
    JoinRequest,
    LifecycleTransition,
    Membership,
    ScheduledPrompt,
    Tag,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["email", "username", "display_name", "is_staff", "date_joined"]
    search_fields = ["email", "username", "display_name"]
    ordering = ["email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            "Profile",
            {"fields": ["display_name", "bio", "motivation", "timezone", "digest_frequency"]},
        ),
    ]
    add_fieldsets = [(None, {"fields": ["email", "username", "password1", "password2"]})]


@admin.register(Community)
class CommunityAdmin(GuardedModelAdmin):
    """Operators correct names and descriptions here. What a service must write stays
    read-only: the guidelines (editing them bumps their version so members agree again: the
    community's edit page), the stage (its history), the member count; communities are
    created on the site, where the creator becomes their manager."""

    list_display = ["name", "kind", "visibility", "stage", "member_count"]
    list_filter = ["kind", "visibility", "stage"]
    search_fields = ["name", "purpose"]
    readonly_fields = ["guidelines", "guidelines_version", "stage", "member_count"]

    def has_add_permission(self, request):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "status", "joined_at"]
    list_filter = ["role", "status"]
    list_select_related = ["user", "community"]
    # Roles carry object permissions; they change through the role services only.
    readonly_fields = ["role", "status"]


admin.site.register(Tag)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write: operators read them here, never edit them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LifecycleTransition)
class LifecycleTransitionAdmin(ReadOnlyAdmin):
    list_display = ["community", "from_stage", "to_stage", "created_at"]
    list_select_related = ["community"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "community", "actor", "action", "reason"]
    list_filter = ["action"]
    list_select_related = ["community", "actor"]
    search_fields = ["action", "reason"]


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ["user", "community", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "community"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["community", "invitee", "use_count", "max_uses", "expires_at", "revoked_at"]
    list_select_related = ["community", "invitee"]
    exclude = ["token"]


@admin.register(Circle)
class CircleAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "kind", "cadence", "status", "capacity"]
    list_filter = ["kind", "cadence", "status"]
    list_select_related = ["community"]


@admin.register(CircleMeeting)
class CircleMeetingAdmin(ReadOnlyAdmin):
    list_display = ["circle", "sequence", "starts_at", "facilitator", "timekeeper", "note_taker"]
    list_select_related = ["circle", "facilitator", "timekeeper", "note_taker"]


@admin.register(ScheduledPrompt)
class ScheduledPromptAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "kind", "publish_at", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["community"]


@admin.register(AwardedBadge)
class AwardedBadgeAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "community", "tag", "awarded_at"]
    list_filter = ["kind"]
    list_select_related = ["user", "community", "tag"]


# Threads, replies and flags stay out of the admin: it would show staff an anonymous asker
# without the audited reveal.
