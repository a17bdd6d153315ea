"""Operators read peer-review records here; people change them through the pages (and so
through the services), so the admin is read-mostly."""

from django.contrib import admin

from feedback.models import Notice, Review, Round, Rubric, ScoreOverride, Submission


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "community", "is_locked", "max_points"]
    list_filter = ["is_locked"]
    readonly_fields = ["is_locked", "max_points", "previous"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "circle", "phase", "reviewers_per_submission"]
    list_filter = ["phase", "anonymity"]
    readonly_fields = ["phase", "rubric", "submission_count", "phase_started_at"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["round", "number", "author", "version_count"]
    readonly_fields = ["round", "author", "number", "version_count"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["round", "submission", "reviewer", "stage", "status", "is_outlier"]
    list_filter = ["status", "stage", "is_outlier"]
    readonly_fields = [f.name for f in Review._meta.fields]


@admin.register(ScoreOverride)
class ScoreOverrideAdmin(admin.ModelAdmin):
    list_display = ["submission", "criterion", "points", "actor", "created_at"]
    readonly_fields = ["submission", "criterion", "stage", "points", "reason", "actor"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["round", "user", "kind", "key", "sent_at"]
    list_filter = ["kind"]
    readonly_fields = ["round", "user", "kind", "key", "subject", "body", "sent_at"]
