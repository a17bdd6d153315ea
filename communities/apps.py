from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every package's permission rules and every task, registered before the first
        # request; then the upper layers connect to the signals of the lower ones.
        from django.db.models.signals import post_delete

        from communities import hooks, permissions, tasks  # noqa: F401
        from communities.circles.services.circles import vacate_seats_in_community
        from communities.circles.views import circles
        from communities.core.signals import invitation_accepted, join_requested, membership_ending
        from communities.discussions.models.threads import Post
        from communities.discussions.services import counters, inbox
        from communities.discussions.views import notifications, threads

        membership_ending.connect(vacate_seats_in_community, dispatch_uid="circles-vacate-seats")
        join_requested.connect(inbox.notify_join_requested, dispatch_uid="inbox-join-requested")
        invitation_accepted.connect(
            inbox.notify_invitation_accepted, dispatch_uid="inbox-invitation-accepted"
        )
        post_delete.connect(counters.on_reply_deleted, sender=Post, dispatch_uid="thread-counters")
        hooks.register(hooks.COMMUNITY_PAGE_CONTEXT, circles.community_page_context)
        hooks.register(hooks.COMMUNITY_PAGE_CONTEXT, threads.community_page_context)
        hooks.register(hooks.PROFILE_PAGE_CONTEXT, threads.profile_page_context)
        hooks.register(hooks.CIRCLE_PAGE_CONTEXT, notifications.circle_page_context)
        import communities.health.receivers  # noqa: F401  (the health package's hooks and demo)
        from communities.digests import receivers  # noqa: F401 (connects the demo receiver)
