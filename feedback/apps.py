from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communities import hooks, public
        from feedback import panels

        hooks.register(hooks.COMMUNITY_PANELS, panels.community_panel)
        public.register_email_kind("peer_review", "peer review reminders and news")
        hooks.demo_seeded.connect(panels.seed_demo, dispatch_uid="feedback-demo")
