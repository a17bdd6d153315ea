from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from communities.digests import receivers  # noqa: F401 (connects the demo receiver)
