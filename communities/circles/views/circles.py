"""Circle pages: the list of a community's circles, proposing one, joining and leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communities import hooks
from communities.circles.forms import CircleForm
from communities.circles.selectors import (
    circle_for_viewer,
    circle_page_meetings,
    circles_for_community,
    next_meeting_for_member,
    upcoming_meetings_for_community,
)
from communities.circles.services.circles import (
    approve_held_circle,
    join_circle,
    leave_circle,
    propose_circle,
)
from communities.core import rules as permissions
from communities.core.access import community_for
from communities.core.errors import RateLimited


def circle_list(request, slug: str):
    community = community_for(request, slug, content=True, signed_in=False)
    circles = circles_for_community(viewer=request.user, community=community)
    return render(
        request,
        "communities/circles/circle_list.html",
        {
            "community": community,
            "circles": circles,
            "may_propose": permissions.can(request.user, "propose_circle", community),
        },
    )


@login_required
def circle_create(request, slug: str):
    community = community_for(request, slug, "propose_circle", content=True)
    form = CircleForm(request.POST or None, initial={"timezone": request.user.timezone})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["timezone_name"] = data.pop("timezone")
        try:
            circle = propose_circle(actor=request.user, community=community, **data)
        except ValidationError as error:
            form.add_error(None, error)
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(
                request,
                "Your circle is proposed and you are its first member. "
                "It starts meeting once four people have joined.",
            )
            return redirect(
                "communities:circle-detail", slug=community.slug, circle_slug=circle.slug
            )
    return render(
        request,
        "communities/circles/circle_form.html",
        {"community": community, "form": form},
        status=status,
    )


def circle_detail(request, slug: str, circle_slug: str):
    community = community_for(request, slug, content=True, signed_in=False)
    circle = circle_for_viewer(viewer=request.user, community=community, slug=circle_slug)
    upcoming, past = circle_page_meetings(circle)
    seats_left = circle.capacity - len(circle.seated)
    # What the upper layers add (the member's notification setting for the circle).
    added: dict = {}
    for add in hooks.registered(hooks.CIRCLE_PAGE_CONTEXT):
        added.update(add(request, circle))
    return render(
        request,
        "communities/circles/circle_detail.html",
        {
            **added,
            "community": community,
            "circle": circle,
            "upcoming": upcoming,
            "my_next": next_meeting_for_member(upcoming, request.user.pk)
            if circle.is_member
            else None,
            "past": past,
            "seats_left": seats_left,
            "may_join": (
                not circle.is_member
                and seats_left > 0
                and permissions.can(request.user, "join_circle", circle)
            ),
            "may_view_meetings": permissions.can(request.user, "view_meetings", community),
            "may_approve": circle.is_held_for_review
            and permissions.can(request.user, "approve_held_circle", circle),
        },
    )


@login_required
@require_POST
def circle_approve(request, slug: str, circle_slug: str):
    community = community_for(request, slug, content=True)
    circle = circle_for_viewer(viewer=request.user, community=community, slug=circle_slug)
    approve_held_circle(actor=request.user, circle=circle)
    messages.success(request, f"{circle.name} is approved: anonymous visitors see it now.")
    return redirect("communities:circle-detail", slug=community.slug, circle_slug=circle.slug)


def _take_or_free_seat(request, slug: str, circle_slug: str, *, service, done: str):
    """Join or leave (`service`) a circle, then back to its page saying `done` (formatted
    with the circle's name) or what stood in the way."""
    community = community_for(request, slug, content=True, signed_in=False)
    circle = circle_for_viewer(viewer=request.user, community=community, slug=circle_slug)
    try:
        service(user=request.user, circle=circle)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(name=circle.name))
    return redirect("communities:circle-detail", slug=community.slug, circle_slug=circle.slug)


@login_required
@require_POST
def circle_join(request, slug: str, circle_slug: str):
    return _take_or_free_seat(
        request, slug, circle_slug, service=join_circle, done="You have joined {name}."
    )


@login_required
@require_POST
def circle_leave(request, slug: str, circle_slug: str):
    return _take_or_free_seat(
        request,
        slug,
        circle_slug,
        service=leave_circle,
        done="You have left {name}. Your seat is free for others.",
    )


UPCOMING_MEETINGS_SHOWN = 5


def community_page_context(request, community) -> dict:
    """The next meetings on the community page (registered in `CommunitiesConfig.ready`)."""
    meetings = upcoming_meetings_for_community(viewer=request.user, community=community)
    return {"meetings": list(meetings[:UPCOMING_MEETINGS_SHOWN])}
