"""Notification, follow and prompt URLs."""

from django.urls import path

from communities.views import notifications, prompts

urlpatterns = [
    path("notifications/", notifications.notification_list, name="notification-list"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notification-read-all",
    ),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
    path("c/<slug:slug>/follow/", notifications.community_follow, name="community-follow"),
    path("c/<slug:slug>/t/<int:pk>/follow/", notifications.thread_follow, name="thread-follow"),
    path("tags/<str:name>/follow/", notifications.tag_follow, name="tag-follow"),
    path("c/<slug:slug>/prompts/", prompts.prompt_list, name="prompt-list"),
    path("c/<slug:slug>/prompts/<int:pk>/cancel/", prompts.prompt_cancel, name="prompt-cancel"),
]
