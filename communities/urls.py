from django.urls import path

from communities.urls_circles import urlpatterns as circle_urlpatterns
from communities.urls_discussions import urlpatterns as discussion_urlpatterns
from communities.urls_notifications import urlpatterns as notification_urlpatterns
from communities.views import profiles

app_name = "communities"

urlpatterns = [
    path("people/<str:username>/", profiles.profile_detail, name="profile-detail"),
    path("settings/profile/", profiles.profile_edit, name="profile-edit"),
    # Community pages live under /c/<slug>/ (directory, detail, joining, roles, members).
    *circle_urlpatterns,
    *discussion_urlpatterns,
    *notification_urlpatterns,
]
