"""Pages of peer review. Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.models import Circle, User
from communities.public import community_content_for_viewer
from feedback import permissions, selectors
from feedback.aggregation import OUTLIER_RULE
from feedback.diffs import diff_html
from feedback.forms import (
    CalibrationExampleForm,
    CalibrationForm,
    HelpfulnessForm,
    OutsideReviewerForm,
    OverrideForm,
    ReviewForm,
    RevisionForm,
    RoundForm,
    RubricForm,
    SubmissionForm,
    chosen_levels,
    default_deadlines,
)
from feedback.labels import author_label, is_owner, reviewer_label
from feedback.models import Attachment, Phase, Review, ReviewStatus, Rubric, Stage, Submission
from feedback.services import reviews as review_services
from feedback.services import rounds as round_services
from feedback.services import rubrics as rubric_services
from feedback.services import submissions as submission_services


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _circles(community):
    return Circle.objects.filter(community=community).exclude(status="closed")


def _runnable_circles(user, community):
    """Circles where `user` may run reviews: all for managers, their own for facilitators."""
    circles = _circles(community)
    if permissions.can_run_reviews_in(user, community):
        return circles
    return circles.filter(
        pk__in=[c.pk for c in circles if permissions.is_circle_facilitator(user, c)]
    )


def _may_run(user, community) -> bool:
    """Managers of the community, or a facilitator of one of its circles."""
    if permissions.can_run_reviews_in(user, community):
        return True
    return _runnable_circles(user, community).exists()


def _circle_field(form, user, community) -> None:
    form.fields["circle"].queryset = _runnable_circles(user, community)
    if not permissions.can_run_reviews_in(user, community):
        form.fields["circle"].required = True
        form.fields["circle"].help_text = "You run reviews in the circles you facilitate."


# My reviews -------------------------------------------------------------------------------


@login_required
def my_reviews(request):
    queue = list(selectors.review_queue(request.user))
    for review in queue:
        review.label = author_label(review.round, review.submission, request.user, is_owner=False)
    return render(
        request,
        "feedback/my_reviews.html",
        {
            "queue": queue,
            "open_reviews": selectors.open_reviews_for(request.user),
            **selectors.pending_work(request.user),
        },
    )


# Rubrics ----------------------------------------------------------------------------------


@login_required
def round_list(request, slug: str):
    community = community_content_for_viewer(request.user, slug)
    if not request.user.is_staff and not permissions.is_active_member(request.user, community):
        raise Http404
    return render(
        request,
        "feedback/round_list.html",
        {
            "community": community,
            "rounds": selectors.rounds_in_community(request.user, community)[:200],
            "may_run": _may_run(request.user, community),
        },
    )


@login_required
def rubric_list(request, slug: str):
    community = community_content_for_viewer(request.user, slug)
    if not _may_run(request.user, community):
        raise Http404
    rubrics = Rubric.objects.filter(community=community).select_related("circle")[:200]
    return render(
        request, "feedback/rubric_list.html", {"community": community, "rubrics": rubrics}
    )


@login_required
def rubric_create(request, slug: str):
    community = community_content_for_viewer(request.user, slug)
    if not _may_run(request.user, community):
        raise Http404
    form = RubricForm(request.POST or None)
    _circle_field(form, request.user, community)
    if request.method == "POST" and form.is_valid():
        try:
            rubric = rubric_services.create_rubric(
                actor=request.user, community=community, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Rubric saved. Use it in a round.")
            return redirect("feedback:rubric-detail", pk=rubric.pk)
    return render(
        request, "feedback/rubric_form.html", {"community": community, "form": form, "rubric": None}
    )


def _rubric_for(request, pk: int) -> Rubric:
    rubric = get_object_or_404(Rubric.objects.select_related("community", "circle"), pk=pk)
    permissions.require(request.user, "manage_rubric", rubric, hide=True)
    return rubric


@login_required
def rubric_detail(request, pk: int):
    rubric = _rubric_for(request, pk)
    criteria = rubric.criteria.prefetch_related("levels")
    return render(
        request,
        "feedback/rubric_detail.html",
        {"rubric": rubric, "community": rubric.community, "criteria": criteria},
    )


@login_required
def rubric_edit(request, pk: int):
    rubric = _rubric_for(request, pk)
    initial = {"title": rubric.title, "spec": rubric_services.rubric_spec(rubric)}
    form = RubricForm(request.POST or None, initial=initial)
    del form.fields["circle"]  # a rubric stays where it was made
    if request.method == "POST" and form.is_valid():
        try:
            saved = rubric_services.edit_rubric(
                actor=request.user, rubric=rubric, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if saved.pk != rubric.pk:
                messages.success(
                    request,
                    f"A round has opened with this rubric, so your edit is version "
                    f"{saved.version}. Open rounds keep the version they started with.",
                )
            else:
                messages.success(request, "Rubric updated.")
            return redirect("feedback:rubric-detail", pk=saved.pk)
    return render(
        request,
        "feedback/rubric_form.html",
        {"community": rubric.community, "form": form, "rubric": rubric},
    )


@login_required
@require_POST
def rubric_copy(request, pk: int):
    rubric = _rubric_for(request, pk)
    copy = rubric_services.copy_rubric(actor=request.user, rubric=rubric)
    messages.success(request, "Copied. Edit the copy freely; the original stays as it was.")
    return redirect("feedback:rubric-detail", pk=copy.pk)


# Rounds -----------------------------------------------------------------------------------


@login_required
def round_create(request, slug: str):
    community = community_content_for_viewer(request.user, slug)
    if not _may_run(request.user, community):
        raise Http404
    form = RoundForm(
        request.POST or None,
        community=community,
        circles=_circles(community),
        initial=default_deadlines(),
    )
    _circle_field(form, request.user, community)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        circle = data.pop("circle")
        try:
            round_ = round_services.create_round(
                actor=request.user, community=community, circle=circle, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Round created as a draft. Open it when you are ready.")
            return redirect("feedback:round-detail", pk=round_.pk)
    return render(request, "feedback/round_form.html", {"community": community, "form": form})


@login_required
def round_edit(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    permissions.require(request.user, "manage_round", round_, hide=True)
    initial = {
        name: getattr(round_, name)
        for name in RoundForm.base_fields
        if name not in ("submission_due_at", "review_due_at", "revision_due_at", "rereview_due_at")
    }
    for name in ("submission_due_at", "review_due_at", "revision_due_at", "rereview_due_at"):
        initial[name] = timezone.localtime(getattr(round_, name))
    form = RoundForm(
        request.POST or None,
        community=round_.community,
        circles=_circles(round_.community),
        initial=initial,
    )
    form.fields["circle"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("circle")
        try:
            round_services.update_round(actor=request.user, round_=round_, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Round updated.")
            return redirect("feedback:round-detail", pk=round_.pk)
    return render(
        request,
        "feedback/round_form.html",
        {"community": round_.community, "form": form, "round": round_},
    )


@login_required
def round_detail(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    owner = is_owner(request.user, round_)
    submission = selectors.my_submission(request.user, round_)
    mine = list(selectors.reviews_of(request.user, round_).select_related("submission__author"))
    for review in mine:
        review.label = author_label(round_, review.submission, request.user, is_owner=owner)
    return render(
        request,
        "feedback/round_detail.html",
        {
            "round": round_,
            "community": round_.community,
            "is_owner": owner,
            "submission": submission,
            "results_open": submission is not None and permissions.results_are_open(submission),
            "my_reviews": mine,
            "may_submit": round_.phase == Phase.SUBMISSION
            and permissions.can_submit(request.user, round_),
            "needs_calibration": bool(mine)
            and review_services.needs_calibration(request.user, round_),
            "enough_submissions": round_services.submission_count_ok(round_),
        },
    )


@login_required
@require_POST
def round_advance(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    permissions.require(request.user, "manage_round", round_, hide=True)
    try:
        round_ = round_services.advance_phase(
            actor=request.user, round_=round_, expected=request.POST.get("expected")
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, f"The round is now in its {round_.get_phase_display()} phase.")
    return redirect("feedback:round-detail", pk=round_.pk)


@login_required
def round_overview(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    permissions.require(request.user, "manage_round", round_, hide=True)
    offset = (
        max(int(request.GET.get("from", "0") or 0), 0)
        if request.GET.get("from", "0").isdigit()
        else 0
    )
    submissions = selectors.round_overview(round_, offset=offset)
    return render(
        request,
        "feedback/round_overview.html",
        {
            "round": round_,
            "community": round_.community,
            "submissions": submissions,
            "next_offset": offset + selectors.OVERVIEW_PAGE
            if len(submissions) == selectors.OVERVIEW_PAGE
            else None,
            "reviewer_form": OutsideReviewerForm(),
            "outlier_rule": OUTLIER_RULE,
        },
    )


@login_required
@require_POST
def round_add_reviewer(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    permissions.require(request.user, "manage_round", round_, hide=True)
    form = OutsideReviewerForm(request.POST)
    if form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            messages.error(request, "Nobody has that username.")
        else:
            try:
                round_services.add_outside_reviewer(actor=request.user, round_=round_, user=user)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, f"{user.public_name} will review in this round.")
    return redirect("feedback:round-overview", pk=round_.pk)


@login_required
def round_quality(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    permissions.require(request.user, "manage_round", round_, hide=True)
    return render(
        request,
        "feedback/round_quality.html",
        {
            "round": round_,
            "community": round_.community,
            "rows": selectors.reviewer_quality(round_),
            "outlier_rule": OUTLIER_RULE,
        },
    )


@login_required
def calibration_example_create(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    permissions.require(request.user, "manage_round", round_, hide=True)
    criteria = selectors.criteria_of(round_)
    form = CalibrationExampleForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            round_services.add_calibration_example(
                actor=request.user,
                round_=round_,
                body=form.cleaned_data["body"],
                reference=chosen_levels(form, criteria),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Calibration example added: reviewers score it first.")
            return redirect("feedback:round-detail", pk=round_.pk)
    return render(
        request,
        "feedback/calibration_example_form.html",
        {"round": round_, "community": round_.community, "form": form},
    )


@login_required
def calibration(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    if not selectors.reviews_of(request.user, round_).exists():
        permissions.require(request.user, "manage_round", round_, hide=True)
    example = round_.calibration_examples.first()
    if example is None:
        raise Http404
    criteria = selectors.criteria_of(round_)
    form = CalibrationForm(request.POST or None, criteria=criteria)
    differences = None
    if request.method == "POST" and form.is_valid():
        try:
            differences = review_services.calibrate(
                actor=request.user,
                round_=round_,
                levels=chosen_levels(form, criteria),
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if selectors.calibration_done(request.user, round_):
                messages.success(
                    request,
                    "Calibration done. Your reviews are ready."
                    if not differences
                    else "Thanks for explaining. Your reviews are ready.",
                )
                return redirect("feedback:round-detail", pk=round_.pk)
    reference = {}
    if differences:
        levels = {lv.pk: lv for c in criteria for lv in c.levels.all()}
        reference = {c: levels.get(differences.get(c.pk)) for c in criteria if c.pk in differences}
    return render(
        request,
        "feedback/calibration.html",
        {
            "round": round_,
            "community": round_.community,
            "example": example,
            "form": form,
            "differences": reference,
            "done": selectors.calibration_done(request.user, round_),
        },
    )


# Submissions ------------------------------------------------------------------------------


@login_required
def submit(request, pk: int):
    round_ = selectors.round_for_viewer(request.user, pk)
    permissions.require(request.user, "submit", round_, hide=True)
    if round_.phase != Phase.SUBMISSION:
        messages.error(request, "This round is not taking submissions now.")
        return redirect("feedback:round-detail", pk=round_.pk)
    existing = selectors.my_submission(request.user, round_)
    initial = {"body": existing.versions.all()[0].body} if existing else {}
    form = SubmissionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submission_services.submit_work(
                actor=request.user,
                round_=round_,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Your submission is in. You can replace it until the deadline.",
            )
            return redirect("feedback:round-detail", pk=round_.pk)
    return render(
        request,
        "feedback/submit.html",
        {"round": round_, "community": round_.community, "form": form, "existing": existing},
    )


def _submission_for(request, pk: int, action: str = "read_submission") -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("round", "round__community", "round__rubric", "author"),
        pk=pk,
    )
    permissions.require(request.user, action, submission, hide=True)
    return submission


@login_required
def submission_detail(request, pk: int):
    submission = _submission_for(request, pk)
    round_ = submission.round
    owner = is_owner(request.user, round_)
    versions = selectors.versions_of(submission)
    if submission.author_id != request.user.pk and not owner:
        # A reviewer reads the version they were given and those before it.
        newest = (
            selectors.reviews_of(request.user, round_)
            .filter(submission=submission)
            .order_by("-version__number")
            .values_list("version__number", flat=True)
            .first()
        )
        versions = [v for v in versions if newest and v.number <= newest]
    return render(
        request,
        "feedback/submission_detail.html",
        {
            "round": round_,
            "community": round_.community,
            "submission": submission,
            "label": author_label(round_, submission, request.user, is_owner=owner),
            "versions": versions,
            "is_author": submission.author_id == request.user.pk,
            "is_owner": owner,
        },
    )


@login_required
def revise(request, pk: int):
    submission = _submission_for(request, pk)
    if submission.author_id != request.user.pk:
        raise Http404
    round_ = submission.round
    latest = submission.versions.order_by("-number").first()
    initial = {"body": latest.body, "reflection": latest.reflection}
    form = RevisionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submission_services.revise_submission(
                actor=request.user, submission=submission, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Your revision and reflection are saved. Your reviewers re-review it next.",
            )
            return redirect("feedback:submission-results", pk=submission.pk)
    return render(
        request,
        "feedback/revise.html",
        {
            "round": round_,
            "community": round_.community,
            "submission": submission,
            "form": form,
            "results": selectors.submission_results(submission),
        },
    )


@login_required
def results(request, pk: int):
    submission = _submission_for(request, pk, "see_results")
    round_ = submission.round
    owner = is_owner(request.user, round_)
    data = selectors.submission_results(submission)
    numbers: dict[int, int] = {}  # one number per reviewer across review and re-review
    for stage in data["stages"].values():
        for review in stage["reviews"]:
            index = numbers.setdefault(review.reviewer_id, len(numbers) + 1)
            review.label = reviewer_label(round_, review, index, request.user, is_owner=owner)
            review.rate_form = HelpfulnessForm(
                initial={"rating": getattr(getattr(review, "helpfulness", None), "rating", None)}
            )
    distribution = selectors.round_distribution(round_)
    total = data["first_total"]
    below = sum(1 for t in distribution if total is not None and t < total)
    return render(
        request,
        "feedback/results.html",
        {
            "round": round_,
            "community": round_.community,
            "submission": submission,
            "label": author_label(round_, submission, request.user, is_owner=owner),
            "data": data,
            "first": data["stages"].get(Stage.FIRST),
            "again": data["stages"].get(Stage.REREVIEW),
            "distribution": distribution,
            "below": below,
            "max_points": round_.rubric.max_points,
            "is_owner": owner,
            "is_author": submission.author_id == request.user.pk,
            "may_revise": submission.author_id == request.user.pk
            and round_.phase == Phase.REVISION,
            "reflection": submission.versions.filter(kind="revision").first(),
        },
    )


@login_required
@require_POST
def override(request, pk: int):
    submission = _submission_for(request, pk)
    permissions.require(request.user, "manage_round", submission.round, hide=True)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the points and a reason.")
    else:
        try:
            review_services.override_score(
                actor=request.user,
                submission=submission,
                criterion_id=form.cleaned_data["criterion"],
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, "Score overridden; the reason is logged.")
    return redirect("feedback:submission-results", pk=submission.pk)


@login_required
def attachment(request, pk: int):
    item = get_object_or_404(Attachment.objects.select_related("version__submission__round"), pk=pk)
    permissions.require(request.user, "read_submission", item.version.submission, hide=True)
    content_type = item.content_type
    if content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    response = FileResponse(
        item.file.open("rb"),
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),
        filename=item.download_name,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Reviews ----------------------------------------------------------------------------------


def _review_for(request, pk: int) -> Review:
    review = get_object_or_404(
        Review.objects.select_related(
            "round", "round__community", "round__rubric", "submission", "submission__author",
            "version", "reviewer",
        ),
        pk=pk,
    )  # fmt: skip
    permissions.require(request.user, "read_review", review, hide=True)
    return review


@login_required
def review_detail(request, pk: int):
    review = _review_for(request, pk)
    round_ = review.round
    owner = is_owner(request.user, round_)
    if permissions.can_write_review(request.user, review) and review_services.needs_calibration(
        request.user, round_
    ):
        messages.info(request, "Score the calibration example first; it takes a minute.")
        return redirect("feedback:calibration", pk=round_.pk)
    criteria = selectors.criteria_of(round_)
    scores = {s.criterion_id: s for s in review.scores.all()}
    initial = {"strengths": review.strengths, "improvements": review.improvements}
    for criterion_id, score in scores.items():
        initial[f"level_{criterion_id}"] = score.level_id
        initial[f"comment_{criterion_id}"] = score.comment
    writable = permissions.can_write_review(request.user, review)
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST":
        if not writable:
            raise Http404
        final = request.POST.get("action") == "submit"
        if form.is_valid():
            data = form.cleaned_data
            try:
                review_services.save_review(
                    actor=request.user,
                    review=review,
                    levels=chosen_levels(form, criteria),
                    comments={c.pk: data.get(f"comment_{c.pk}", "") for c in criteria},
                    strengths=data["strengths"],
                    improvements=data["improvements"],
                    final=final,
                )
            except ValidationError as error:
                if request.headers.get("HX-Request"):
                    return HttpResponse(" ".join(error.messages))
                form.add_error(None, error)
            else:
                if request.headers.get("HX-Request"):
                    return HttpResponse(f"Draft saved at {timezone.localtime():%H:%M}.")
                if final:
                    messages.success(request, "Review submitted. Thank you!")
                    return redirect("feedback:my-reviews")
                messages.success(request, "Draft saved. Submit it when you are done.")
                return redirect("feedback:review-detail", pk=review.pk)
    diff = None
    if review.stage == Stage.REREVIEW:
        earlier = (
            review.submission.versions.filter(number__lt=review.version.number)
            .order_by("-number")
            .first()
        )
        if earlier:
            diff = diff_html(earlier.body, review.version.body)
    return render(
        request,
        "feedback/review_form.html",
        {
            "round": round_,
            "community": round_.community,
            "review": review,
            "label": author_label(round_, review.submission, request.user, is_owner=owner),
            "form": form,
            "writable": writable,
            "scores": [(c, scores.get(c.pk)) for c in criteria],
            "attachments": review.version.attachments.all(),
            "diff": diff,
        },
    )


@login_required
@require_POST
def review_claim(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("round", "submission"), pk=pk)
    try:
        review_services.claim_review(actor=request.user, review=review)
    except ValidationError as error:
        _errors(request, error)
        return redirect("feedback:my-reviews")
    messages.success(request, "The review is yours.")
    return redirect("feedback:review-detail", pk=review.pk)


@login_required
@require_POST
def review_rate(request, pk: int):
    review = _review_for(request, pk)
    permissions.require(request.user, "rate_review", review, hide=True)
    form = HelpfulnessForm(request.POST)
    if form.is_valid():
        review_services.rate_helpfulness(actor=request.user, review=review, **form.cleaned_data)
        messages.success(request, "Thanks: your rating helps reviewers get better.")
    else:
        messages.error(request, "Rate helpfulness from 1 (not helpful) to 5 (very helpful).")
    return redirect("feedback:submission-results", pk=review.submission_id)


__all__ = ["ReviewStatus"]
