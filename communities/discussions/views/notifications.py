"""The notification list, marking read, and follow buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.circles.selectors import circle_for_viewer
from communities.core.access import community_for, safe_next, signin_redirect
from communities.discussions.access import thread_for
from communities.discussions.models.notifications import NotificationLevel
from communities.discussions.selectors import notifications as notification_selectors
from communities.discussions.selectors.follows import is_following
from communities.discussions.selectors.notifications import (
    decorate_notifications,
    notifications_for,
    unread_notification_count,
)
from communities.discussions.services import follows as follow_services
from communities.discussions.services import notifications as notification_services
from communities.discussions.services.notification_emails import actor_name, notification_path
from communities.discussions.views.helpers import is_htmx

PAGE_SIZE = 30


@login_required
def notification_list(request):
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = decorate_notifications(page.object_list)
    for row in rows:
        row.url = notification_path(row)
        row.actor_label = actor_name(row)
    return render(
        request,
        "communities/notifications/list.html",
        {"page": page, "notifications": rows, "query_string": ""},
    )


@require_POST
@login_required
def notification_read(request, pk: int):
    if not notification_services.mark_notification_read(user=request.user, notification_id=pk):
        raise Http404
    if is_htmx(request):
        return render(
            request,
            "communities/notifications/_read_state.html",
            {"unread_count": unread_notification_count(request.user)},
        )
    return redirect(safe_next(request, reverse("communities:notification-list")))


@require_POST
@login_required
def notification_read_all(request):
    notification_services.mark_all_notifications_read(user=request.user)
    return redirect(safe_next(request, reverse("communities:notification-list")))


def _follow_response(request, *, following: bool, action_url: str, label: str, back: str, error):
    if is_htmx(request):
        return render(
            request,
            "components/follow_button.html",
            {"following": following, "action_url": action_url, "label": label, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect(safe_next(request, back))


def _wants_follow(request) -> bool:
    return request.POST.get("action") != "unfollow"


@require_POST
@login_required
def thread_follow(request, slug: str, pk: int):
    community, thread = thread_for(request, slug, pk)
    follow_services.set_thread_follow(
        user=request.user, thread=thread, follow=_wants_follow(request)
    )
    url = reverse("communities:thread-detail", args=[community.slug, thread.pk])
    return _follow_response(
        request,
        following=is_following(request.user, thread=thread),
        action_url=reverse("communities:thread-follow", args=[community.slug, thread.pk]),
        label="thread",
        back=url,
        error=None,
    )


@require_POST
@login_required
def community_follow(request, slug: str):
    community = community_for(request, slug)
    error = None
    try:
        follow_services.set_community_follow(
            user=request.user, community=community, follow=_wants_follow(request)
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _follow_response(
        request,
        following=is_following(request.user, community=community),
        action_url=reverse("communities:community-follow", args=[community.slug]),
        label="community",
        back=reverse("communities:thread-list", args=[community.slug]),
        error=error,
    )


@require_POST
@login_required
def tag_follow(request, name: str):
    error, tag = None, None
    try:
        tag = follow_services.set_tag_follow(
            user=request.user, tag_name=name, follow=_wants_follow(request)
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _follow_response(
        request,
        following=tag is not None and is_following(request.user, tag=tag),
        action_url=reverse("communities:tag-follow", args=[name]),
        label=f"tag “{name}”",
        back=reverse("communities:notification-list"),
        error=error,
    )


@require_POST
@signin_redirect
def community_notification_level(request, slug: str):
    """The notification setting for one community, chosen on its page."""
    community = community_for(request, slug, content=True)
    try:
        level = notification_services.set_community_notification_level(
            user=request.user, community=community, level=request.POST.get("level", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"From {community.name} you now get: {NotificationLevel(level).label.lower()}."
        )
    return redirect(safe_next(request, reverse("communities:community-detail", args=[slug])))


@require_POST
@signin_redirect
def circle_notification_level(request, slug: str, circle_slug: str):
    """The notification setting for one circle's threads, chosen on the circle's page."""
    community = community_for(request, slug, content=True)
    circle = circle_for_viewer(viewer=request.user, community=community, slug=circle_slug)
    try:
        level = notification_services.set_circle_notification_level(
            user=request.user, circle=circle, level=request.POST.get("level", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if level == notification_services.AS_COMMUNITY:
            told = f"{circle.name} follows your setting for {community.name} again."
        else:
            told = f"From {circle.name} you now get: {NotificationLevel(level).label.lower()}."
        messages.success(request, told)
    return redirect(
        safe_next(request, reverse("communities:circle-detail", args=[community.slug, circle.slug]))
    )


def circle_page_context(request, circle) -> dict:
    """The viewer's notification setting on a circle's page, for its members (registered in
    `CommunitiesConfig.ready`); one query."""
    if not getattr(circle, "is_member", False):
        return {}
    own, community_level = notification_selectors.circle_notification_levels(
        viewer=request.user, circle=circle
    )
    return {
        "circle_notification_level": own or notification_services.AS_COMMUNITY,
        "community_notification_level": community_level,
        "notification_levels": NotificationLevel.choices,
    }
