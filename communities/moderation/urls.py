"""Moderation URLs: flagging, the queue per community, its audit log, and outcomes."""

from django.urls import path

from communities.moderation import views as moderation

urlpatterns = [
    path("c/<slug:slug>/t/<int:pk>/flag/", moderation.flag, name="thread-flag"),
    path("c/<slug:slug>/t/<int:pk>/p/<int:post_pk>/flag/", moderation.flag, name="post-flag"),
    path("c/<slug:slug>/moderation/", moderation.queue, name="moderation-queue"),
    path("c/<slug:slug>/moderation/act/", moderation.act, name="moderation-act"),
    path("c/<slug:slug>/moderation/t/<int:pk>/", moderation.item, name="moderation-thread"),
    path(
        "c/<slug:slug>/moderation/t/<int:pk>/p/<int:post_pk>/",
        moderation.item,
        name="moderation-post",
    ),
    path("c/<slug:slug>/moderation/audit/", moderation.audit, name="moderation-audit"),
    path("c/<slug:slug>/moderation/experts/", moderation.experts, name="moderation-experts"),
    path(
        "c/<slug:slug>/moderation/experts/<int:badge_pk>/revoke/",
        moderation.expert_revoke,
        name="moderation-expert-revoke",
    ),
    path("moderation/outcomes/", moderation.outcomes, name="moderation-outcomes"),
]
