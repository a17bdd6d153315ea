from django.urls import path

from communities.views import profiles

app_name = "communities"

urlpatterns = [
    path("people/<str:username>/", profiles.profile_detail, name="profile-detail"),
    path("settings/profile/", profiles.profile_edit, name="profile-edit"),
]
