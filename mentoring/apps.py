from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from communities import hooks, public

        from . import receivers

        hooks.register(hooks.COMMUNITY_PANELS, receivers.community_panel)
        public.register_email_kind("mentoring", "mentoring reminders and news")
        hooks.member_joined.connect(receivers.on_member_joined, dispatch_uid="mentoring-joined")
        hooks.membership_ended.connect(
            receivers.on_membership_ended, dispatch_uid="mentoring-ended"
        )
        hooks.demo_seeded.connect(receivers.on_demo_seeded, dispatch_uid="mentoring-demo")
