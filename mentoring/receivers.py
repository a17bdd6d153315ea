"""Mentoring's answers to communities' hooks (registered in `MentoringConfig.ready`)."""

from django.template.loader import render_to_string


def community_panel(request, community) -> str:
    """The community page lists its open programmes, each with a link."""
    from .selectors import programmes_for_community

    user = getattr(request, "user", None)
    if user is None:
        return ""
    programmes = list(programmes_for_community(viewer=user, community=community))
    from .permissions import can_create_programme

    may_create = can_create_programme(user, community)
    if not programmes and not may_create:
        return ""
    return render_to_string(
        "mentoring/_community_panel.html",
        {"community": community, "programmes": programmes, "may_create": may_create},
        request=request,
    )


def on_member_joined(sender, membership, **kwargs) -> None:
    # The signal comes after commit; the task proposes a buddy at once (eagerly in tests).
    from .tasks import propose_buddies_for

    propose_buddies_for.delay(membership.pk)


def on_membership_ended(sender, membership, **kwargs) -> None:
    from .tasks import pause_for_departure

    pause_for_departure.delay(membership.pk)


def on_demo_seeded(sender, stdout=None, **kwargs) -> None:
    from .demo import seed_mentoring_demo

    seed_mentoring_demo(stdout=stdout)
