from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every package's permission rules and every task, registered before the first
        # request; then the upper layers connect to the signals of the lower ones.
        from communities import permissions, tasks  # noqa: F401
        from communities.circles.services.circles import vacate_seats_in_community
        from communities.core.signals import membership_ending

        membership_ending.connect(vacate_seats_in_community, dispatch_uid="circles-vacate-seats")
