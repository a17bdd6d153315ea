from django.urls import path

from communities.digests import views

app_name = "digests"

urlpatterns = [
    path("settings/digests/", views.digest_settings, name="settings"),
    path("digests/preview/", views.digest_preview, name="preview"),
    path("digests/preview/<int:user_id>/", views.digest_preview, name="preview-member"),
    path("c/<slug:slug>/waiting/", views.waiting_questions, name="waiting-questions"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
