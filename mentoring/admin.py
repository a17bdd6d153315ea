"""The Django admin shows programmes and who is paired with whom, never what the pair wrote:
goals, session notes and reflections have no admin, and pairing pages omit them."""

from django.contrib import admin

from .models import MenteeRequest, MentorProfile, Pairing, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "kind", "matching_mode", "is_open"]
    list_filter = ["kind", "matching_mode", "is_open"]
    search_fields = ["name", "community__name"]
    raw_id_fields = ["community", "created_by"]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "capacity", "seats_taken", "is_active"]
    raw_id_fields = ["user", "programme"]
    filter_horizontal = ["topics"]
    readonly_fields = ["seats_taken"]


@admin.register(MenteeRequest)
class MenteeRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "status", "created_at", "matched_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "programme", "preferred_mentor"]
    filter_horizontal = ["topics"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    """Status and dates only; the service functions change status, so all is read-only."""

    list_display = ["__str__", "programme", "status", "started_on", "session_count"]
    list_filter = ["status"]
    fields = [
        "programme",
        "mentor",
        "mentee",
        "status",
        "score",
        "started_on",
        "ends_on",
        "closed_at",
        "last_session_on",
        "session_count",
        "stall_count",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
