"""Circle and meeting URLs, under /c/<slug>/circles/ and the calendar feed."""

urlpatterns = []
