"""Every URL of communities, one list per package; names stay `communities:<thing>-<action>`."""

from communities.circles.urls import urlpatterns as circle_urlpatterns
from communities.core.urls import urlpatterns as core_urlpatterns
from communities.discussions.urls import urlpatterns as discussion_urlpatterns
from communities.moderation.urls import urlpatterns as moderation_urlpatterns

app_name = "communities"

urlpatterns = [
    *core_urlpatterns,
    *circle_urlpatterns,
    *discussion_urlpatterns,
    *moderation_urlpatterns,
]
