from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communities import hooks, public
        from knowledge import demo, panels, receivers, selectors

        hooks.register(hooks.THREAD_PANELS, panels.thread_panel)
        hooks.register(hooks.THREAD_ANNOTATIONS, panels.thread_annotations)
        hooks.register(hooks.SEARCH_SOURCES, panels.search_source)
        hooks.register(hooks.GARDENER_ACTIONS, panels.harvest_action)
        hooks.register(hooks.GARDENER_ACTION_COUNTS, selectors.not_yet_harvested_counts)
        hooks.register(hooks.MEETING_PANELS, panels.meeting_panel)
        receivers.connect()
        public.register_email_kind("knowledge_review", "reminders to review your articles")
        public.register_email_kind("knowledge_follow", "news of articles and topics you follow")
        hooks.demo_seeded.connect(demo.seed_knowledge_demo, dispatch_uid="knowledge-demo")
