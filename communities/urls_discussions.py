"""Thread, reply and notification URLs."""

urlpatterns = []
