"""What peer review adds to communities' pages and demo, through communities.hooks."""

from django.template.loader import render_to_string


def community_panel(request, community) -> str:
    """The community page lists its open review rounds the viewer may see."""
    from feedback.selectors import rounds_in_community

    if request is None or not request.user.is_authenticated:
        return ""
    rounds = list(rounds_in_community(request.user, community, open_only=True)[:10])
    if not rounds:
        return ""
    return render_to_string(
        "feedback/_community_panel.html",
        {"rounds": rounds, "community": community},
        request=request,
    )


def seed_demo(sender=None, stdout=None, **kwargs) -> None:
    from feedback.demo import seed_feedback_demo

    seed_feedback_demo(stdout=stdout)
