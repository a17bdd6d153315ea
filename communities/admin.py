from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from guardian.admin import GuardedModelAdmin

from communities.models import Community, LifecycleTransition, Membership, Tag, User


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
    list_display = ["name", "kind", "visibility", "stage", "member_count"]
    list_filter = ["kind", "visibility", "stage"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["stage"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "status", "joined_at"]
    list_filter = ["role", "status"]
    list_select_related = ["user", "community"]
    # Roles carry object permissions; they change through the role services only.
    readonly_fields = ["role", "status"]


admin.site.register(Tag)
admin.site.register(LifecycleTransition)
