"""Thread, reply, search, notification, follow and prompt URLs."""

from django.urls import path

from communities.discussions.views import (
    notifications,
    people,
    posts,
    prompts,
    search,
    tags,
    threads,
    visits,
)

urlpatterns = [
    path("c/<slug:slug>/t/", threads.thread_list, name="thread-list"),
    path("c/<slug:slug>/t/new/", threads.thread_create, name="thread-create"),
    path("c/<slug:slug>/t/read/", visits.community_mark_read, name="community-mark-read"),
    path("c/<slug:slug>/t/similar/", threads.thread_similar, name="thread-similar"),
    path("c/<slug:slug>/t/<int:pk>/", threads.thread_detail, name="thread-detail"),
    path("c/<slug:slug>/t/<int:pk>/edit/", threads.thread_edit, name="thread-edit"),
    path("c/<slug:slug>/t/<int:pk>/accept/", threads.thread_accept, name="thread-accept"),
    path("c/<slug:slug>/t/<int:pk>/verify/", threads.thread_verify, name="thread-verify"),
    path("c/<slug:slug>/t/<int:pk>/reveal/", threads.thread_reveal, name="thread-reveal"),
    path("c/<slug:slug>/t/<int:pk>/history/", threads.thread_history, name="thread-history"),
    path("c/<slug:slug>/t/<int:pk>/p/<int:post_pk>/edit/", posts.post_edit, name="post-edit"),
    path("c/<slug:slug>/t/<int:pk>/p/<int:post_pk>/vote/", posts.post_vote, name="post-vote"),
    path("c/<slug:slug>/t/<int:pk>/p/<int:post_pk>/thank/", posts.post_thank, name="post-thank"),
    path("preview/markdown/", posts.markdown_preview, name="markdown-preview"),
    path("tags/suggest/", search.tag_suggest, name="tag-suggest"),
    path("tags/<str:name>/", tags.tag_detail, name="tag-detail"),
    path("search/", search.search, name="search"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notification-read-all",
    ),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
    path("c/<slug:slug>/follow/", notifications.community_follow, name="community-follow"),
    path(
        "c/<slug:slug>/notifications/",
        notifications.community_notification_level,
        name="community-notification-level",
    ),
    path(
        "c/<slug:slug>/circles/<slug:circle_slug>/notifications/",
        notifications.circle_notification_level,
        name="circle-notification-level",
    ),
    path("c/<slug:slug>/t/<int:pk>/follow/", notifications.thread_follow, name="thread-follow"),
    path("tags/<str:name>/follow/", notifications.tag_follow, name="tag-follow"),
    path("people/<str:username>/follow/", people.person_follow, name="person-follow"),
    path("c/<slug:slug>/prompts/", prompts.prompt_list, name="prompt-list"),
    path("c/<slug:slug>/prompts/<int:pk>/cancel/", prompts.prompt_cancel, name="prompt-cancel"),
]
