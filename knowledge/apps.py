from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communities import hooks
        from knowledge import demo, panels

        hooks.register(hooks.THREAD_PANELS, panels.thread_panel)
        hooks.register(hooks.THREAD_ANNOTATIONS, panels.thread_annotations)
        hooks.register(hooks.SEARCH_SECTIONS, panels.search_section)
        hooks.demo_seeded.connect(demo.seed_knowledge_demo, dispatch_uid="knowledge-demo")
