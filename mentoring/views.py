"""Mentoring pages: thin views that parse input, call one service or selector, render.

Programme pages follow the community's visibility (404 where its members-only content is
hidden); pairing pages answer 404 to everyone but the pair, staff included."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.public import (
    SignInFirst,
    add_service_error,
    community_content_for_viewer,
    signin_redirect,
)

from . import permissions, selectors, services
from .forms import (
    AnswerForm,
    GoalForm,
    GoalProgressForm,
    MenteeRequestForm,
    MentorProfileForm,
    PlanForm,
    ProgrammeEditForm,
    ProgrammeForm,
    ReflectionForm,
    SessionForm,
)
from .ics import next_session_ics
from .models import Goal, MentorProfile, Pairing, PairingStatus
from .services.nudges import lapsed_since


def _signed_in(request):
    return request.user.is_authenticated


# Programmes ------------------------------------------------------------------------------


def programme_create(request, slug: str):
    community = community_content_for_viewer(request.user, slug)
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    permissions.require(request.user, "create_programme", community)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(
                actor=request.user, community=community, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{programme.name} is open. Invite mentors and mentees.")
            return redirect("mentoring:programme-detail", pk=programme.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "mentoring/programme_form.html",
        {"community": community, "form": form},
        status=status,
    )


def programme_detail(request, pk: int):
    programme = selectors.programme_for_viewer(request.user, pk)
    user = request.user
    return render(
        request,
        "mentoring/programme_detail.html",
        {
            "programme": programme,
            "community": programme.community,
            "mentors": selectors.mentor_directory(programme)[:10],
            "my_profile": selectors.mentor_for_user(programme, user),
            "my_request": selectors.request_for_user(programme, user),
            "may_mentor": permissions.can(user, "be_mentor", programme),
            "may_mentee": permissions.can(user, "be_mentee", programme),
            "may_manage": permissions.can(user, "manage_programme", programme),
            "may_read_guide": permissions.can(user, "read_guide", programme),
        },
    )


def mentor_list(request, pk: int):
    programme = selectors.programme_for_viewer(request.user, pk)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    mentors = selectors.mentor_directory(programme, page=page)
    return render(
        request,
        "mentoring/mentor_list.html",
        {
            "programme": programme,
            "community": programme.community,
            "mentors": mentors,
            "page": page,
            "has_next": len(mentors) == selectors.PAGE_SIZE,
        },
    )


def programme_guide(request, pk: int):
    programme = selectors.programme_for_viewer(request.user, pk)
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    permissions.require(request.user, "read_guide", programme)
    return render(
        request,
        "mentoring/programme_guide.html",
        {"programme": programme, "community": programme.community},
    )


def _profile_view(request, pk: int, *, role: str):
    programme = selectors.programme_for_viewer(request.user, pk)
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    user = request.user
    permissions.require(user, "be_mentor" if role == "mentor" else "be_mentee", programme)
    if role == "mentor":
        existing = selectors.mentor_for_user(programme, user)
        form_class = MentorProfileForm
    else:
        existing = selectors.request_for_user(programme, user)
        form_class = MenteeRequestForm
    initial = {"timezone": user.timezone, "hours_from": 9, "hours_to": 17, "languages": "english"}
    if existing is not None:
        initial.update(
            timezone=existing.timezone,
            hours_from=existing.hours_from,
            hours_to=existing.hours_to,
            languages=existing.languages,
            experiences=existing.experiences,
            topics=", ".join(t.name for t in existing.topics.all()),
        )
        if role == "mentor":
            initial.update(capacity=existing.capacity, pitch=existing.pitch)
        else:
            initial.update(goals=existing.goals, preferred_mentor=existing.preferred_mentor_id)
    form = form_class(request.POST or None, initial=initial, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["timezone_name"] = data.pop("timezone")
        try:
            if role == "mentor":
                services.save_mentor_profile(actor=user, programme=programme, **data)
            else:
                services.save_mentee_request(actor=user, programme=programme, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "Your mentor profile is saved."
                if role == "mentor"
                else "Your request is saved. You'll hear from us when there is a match.",
            )
            if role == "mentee" and programme.is_mentee_led:
                return redirect("mentoring:mentor-choose", pk=programme.pk)
            return redirect("mentoring:programme-detail", pk=programme.pk)
    return render(
        request,
        "mentoring/profile_form.html",
        {"programme": programme, "community": programme.community, "form": form, "role": role},
        status=400 if form.errors else 200,
    )


def mentor_profile(request, pk: int):
    return _profile_view(request, pk, role="mentor")


def mentee_request(request, pk: int):
    return _profile_view(request, pk, role="mentee")


def mentor_choose(request, pk: int):
    """Mentee-led programmes: the mentee's ranked list of mentors with room, with reasons."""
    programme = selectors.programme_for_viewer(request.user, pk)
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    permissions.require(request.user, "be_mentee", programme)
    my_request = selectors.request_for_user(programme, request.user)
    ranked = services.ranked_mentors(my_request) if my_request else []
    return render(
        request,
        "mentoring/mentor_choose.html",
        {
            "programme": programme,
            "community": programme.community,
            "my_request": my_request,
            "ranked": ranked,
        },
    )


@login_required
@require_POST
def mentor_request(request, pk: int, mentor_pk: int):
    programme = selectors.programme_for_viewer(request.user, pk)
    mentor = get_object_or_404(MentorProfile.objects.select_related("user"), pk=mentor_pk)
    try:
        pairing = services.request_mentor(actor=request.user, programme=programme, mentor=mentor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:mentor-choose", pk=programme.pk)
    messages.success(
        request,
        f"Your request went to {mentor.user.public_name}. They have "
        f"{programme.request_deadline_days} days to answer.",
    )
    return redirect("mentoring:pairing-detail", pk=pairing.pk)


# Managers ----------------------------------------------------------------------------------


def _managed(request, pk: int):
    programme = selectors.programme_for_viewer(request.user, pk)
    if not _signed_in(request):
        raise SignInFirst
    permissions.require(request.user, "manage_programme", programme)
    return programme


@signin_redirect
def programme_manage(request, pk: int):
    programme = _managed(request, pk)
    return render(
        request,
        "mentoring/programme_manage.html",
        {
            "programme": programme,
            "community": programme.community,
            "stats": selectors.programme_stats(programme),
            "waiting": selectors.waiting_mentees(programme),
            "relationships": selectors.relationships_for_manager(programme),
        },
    )


@signin_redirect
def programme_edit(request, pk: int):
    from .services.programmes import EDITABLE

    programme = _managed(request, pk)
    initial = {name: getattr(programme, name) for name in EDITABLE}
    form = ProgrammeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_programme(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The programme's settings are saved.")
            return redirect("mentoring:programme-manage", pk=programme.pk)
    return render(
        request,
        "mentoring/programme_form.html",
        {"community": programme.community, "programme": programme, "form": form},
        status=400 if form.errors else 200,
    )


@signin_redirect
def proposal_list(request, pk: int):
    programme = _managed(request, pk)
    return render(
        request,
        "mentoring/proposal_list.html",
        {
            "programme": programme,
            "community": programme.community,
            "proposals": selectors.proposals_for_review(programme),
        },
    )


@signin_redirect
@require_POST
def programme_match(request, pk: int):
    programme = _managed(request, pk)
    try:
        proposals = services.run_matching(actor=request.user, programme=programme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Matching proposed {len(proposals)} pairs. Review them, then approve to send.",
        )
    return redirect("mentoring:proposal-list", pk=programme.pk)


PROPOSAL_ACTIONS = {
    "approve": (services.approve_proposal, "Sent to both: they are asked to accept."),
    "swap": (services.swap_proposal, "Swapped for the next best mentor with room."),
    "drop": (services.drop_proposal, "Dropped; this pair won't be proposed again."),
}


@signin_redirect
@require_POST
def proposal_action(request, pk: int, pairing_pk: int, action: str):
    programme = _managed(request, pk)
    if action not in PROPOSAL_ACTIONS:
        raise Http404
    pairing = get_object_or_404(
        Pairing.objects.select_related("programme", "mentor__user", "mentee__user"),
        pk=pairing_pk,
        programme=programme,
    )
    service, done = PROPOSAL_ACTIONS[action]
    try:
        service(actor=request.user, pairing=pairing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("mentoring:proposal-list", pk=programme.pk)


# The pair ----------------------------------------------------------------------------------


@login_required
def my_mentoring(request):
    return render(request, "mentoring/my_mentoring.html", selectors.my_mentoring(request.user))


def _pairing_page(request, pairing: Pairing, *, status: int = 200, **forms):
    side = pairing.side_of(request.user)
    mine = pairing.mentor_accepted_at if side == "mentor" else pairing.mentee_accepted_at
    context = {
        "pairing": pairing,
        "programme": pairing.programme,
        "community": pairing.programme.community,
        "side": side,
        "other": pairing.mentee.user if side == "mentor" else pairing.mentor.user,
        "other_message": pairing.mentee_message if side == "mentor" else pairing.mentor_message,
        "may_answer": pairing.status in (PairingStatus.OFFERED, PairingStatus.REQUESTED)
        and mine is None
        and not (pairing.status == PairingStatus.REQUESTED and side == "mentee"),
        "is_active": pairing.status == PairingStatus.ACTIVE,
        "quiet_since": lapsed_since(pairing, timezone.localdate())
        if pairing.status == PairingStatus.ACTIVE
        else None,
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "goal_form": forms.get("goal_form") or GoalForm(),
        "session_form": forms.get("session_form")
        or SessionForm(initial={"held_on": timezone.localdate()}),
        "plan_form": forms.get("plan_form") or PlanForm(),
        "reflection_form": forms.get("reflection_form") or ReflectionForm(),
        "progress_error": forms.get("progress_error"),
        **selectors.pairing_page(pairing),
    }
    context["carried"] = context["sessions"][0].action_items if context["sessions"] else ""
    context["my_reflection"] = next(
        (r for r in context["reflections"] if r.author_id == request.user.pk), None
    )
    context["may_reflect"] = context["my_reflection"] is None and pairing.status in (
        PairingStatus.ACTIVE,
        PairingStatus.PAUSED,
        PairingStatus.CLOSED,
    )
    return render(request, "mentoring/pairing_detail.html", context, status=status)


@login_required
def pairing_detail(request, pk: int):
    pairing = selectors.pairing_for_member(request.user, pk)
    return _pairing_page(request, pairing)


def _pairing_post(request, pk: int, form_class, name: str, call):
    pairing = selectors.pairing_for_member(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            done = call(pairing, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("mentoring:pairing-detail", pk=pairing.pk)
    return _pairing_page(request, pairing, status=400, **{name: form})


@login_required
@require_POST
def pairing_answer(request, pk: int):
    accept = request.POST.get("answer") == "accept"

    def call(pairing, data):
        result = services.respond(
            actor=request.user, pairing=pairing, accept=accept, message=data["message"]
        )
        if result.status == PairingStatus.ACTIVE:
            return "You both accepted: your relationship has started."
        if accept:
            return "You accepted. We'll tell you when the other side answers."
        return "You declined. This pair won't be proposed again."

    return _pairing_post(request, pk, AnswerForm, "answer_form", call)


@login_required
@require_POST
def pairing_withdraw(request, pk: int):
    pairing = selectors.pairing_for_member(request.user, pk)
    try:
        services.withdraw_request(actor=request.user, pairing=pairing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your request is withdrawn; you can ask another mentor.")
    return redirect("mentoring:pairing-detail", pk=pairing.pk)


@login_required
@require_POST
def goal_create(request, pk: int):
    def call(pairing, data):
        services.add_goal(actor=request.user, pairing=pairing, **data)
        return "Goal added."

    return _pairing_post(request, pk, GoalForm, "goal_form", call)


@login_required
@require_POST
def goal_update(request, pk: int, goal_pk: int):
    pairing = selectors.pairing_for_member(request.user, pk)
    goal = get_object_or_404(Goal, pk=goal_pk, pairing=pairing)
    goal.pairing = pairing
    form = GoalProgressForm(request.POST)
    error_text = None
    if form.is_valid():
        try:
            services.update_goal(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            messages.success(request, f"Progress on “{goal.title}” saved.")
            return redirect("mentoring:pairing-detail", pk=pairing.pk)
    else:
        error_text = " ".join(e for errors in form.errors.values() for e in errors)
    return _pairing_page(request, pairing, status=400, progress_error=error_text)


@login_required
@require_POST
def session_create(request, pk: int):
    def call(pairing, data):
        services.log_session(actor=request.user, pairing=pairing, **data)
        return "Session logged."

    return _pairing_post(request, pk, SessionForm, "session_form", call)


@login_required
@require_POST
def session_plan(request, pk: int):
    def call(pairing, data):
        services.plan_next_session(actor=request.user, pairing=pairing, **data)
        return "Next session planned. Add it to your calendar with the .ics file."

    return _pairing_post(request, pk, PlanForm, "plan_form", call)


@login_required
def session_ics(request, pk: int):
    pairing = selectors.pairing_for_member(request.user, pk)
    if pairing.next_session_at is None:
        raise Http404
    response = HttpResponse(next_session_ics(pairing), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="mentoring-session.ics"'
    return response


@login_required
@require_POST
def pairing_close(request, pk: int):
    def call(pairing, data):
        services.write_reflection(actor=request.user, pairing=pairing, **data)
        return "Thank you for your reflection. The relationship is closed."

    return _pairing_post(request, pk, ReflectionForm, "reflection_form", call)
