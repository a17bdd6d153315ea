from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import communities.health.receivers  # noqa: F401 - the health app's hooks and demo
