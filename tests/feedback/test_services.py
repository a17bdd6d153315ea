"""The services of peer review: rubrics, rounds, submissions, reviews and results."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from feedback.models import (
    Attachment,
    Criterion,
    Helpfulness,
    Level,
    Phase,
    Review,
    ReviewStatus,
    Round,
    Rubric,
    Score,
    ScoreOverride,
    Stage,
    Submission,
    SubmissionVersion,
)
from feedback.selectors import submission_results
from feedback.services.reviews import (
    calibrate,
    override_score,
    rate_helpfulness,
    save_review,
)
from feedback.services.rounds import add_calibration_example, advance_phase
from feedback.services.rubrics import copy_rubric, edit_rubric, parse_rubric_spec
from feedback.services.submissions import revise_submission, submit_work
from tests.communities.factories import UserFactory, add_member, new_community
from tests.feedback.factories import SPEC, levels_for, make_round, make_rubric, story, write_review

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


# Rubrics ----------------------------------------------------------------------------------


def test_rubric_spec_builds_criteria_and_levels():
    owner = UserFactory()
    rubric = make_rubric(new_community(manager=owner), owner)
    assert [c.title for c in rubric.criteria.all()] == ["Argument", "Craft"]
    assert [lv.points for lv in rubric.criteria.first().levels.all()] == [0, 2, 4]
    assert rubric.max_points == 6


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "at least one criterion"),
        ("# A\n- 1 | One", "at least two levels"),
        ("- 1 | One", "before levels"),
        ("# A\n- x | One\n- 2 | Two", "whole points"),
        ("just words", "start it with"),
        ("# A\n- 1 | One\n- 1 | Same", "different points"),
    ],
)
def test_bad_rubric_specs_are_refused_clearly(spec, message):
    with pytest.raises(ValidationError, match=message):
        parse_rubric_spec(spec)


def test_only_managers_build_rubrics():
    community = new_community()
    member = add_member(community)
    with pytest.raises(PermissionDenied):
        make_rubric(community, member)
    assert not Rubric.objects.exists()


def test_editing_a_rubric_after_opening_makes_a_new_version():
    s = story(n=0, phase=Phase.DRAFT)
    draft_round = make_round(s.community, s.owner, rubric=s.round.rubric, title="Later round")
    s.advance()  # opening locks the rubric
    old = s.round.rubric
    new = edit_rubric(actor=s.owner, rubric=old, title="Essay rubric", spec=SPEC + "# Extra\n"
                      "- 0 | No\n- 1 | Yes")  # fmt: skip
    assert new.pk != old.pk
    assert new.version == 2
    assert new.previous == old
    assert s.refresh().rubric_id == old.pk, "the open round keeps the rubric it opened with"
    assert Criterion.objects.filter(rubric=old).count() == 2
    draft_round.refresh_from_db()
    assert draft_round.rubric_id == new.pk, "a round not yet open moves to the new version"


def test_editing_before_opening_edits_in_place():
    s = story(n=0, phase=Phase.DRAFT)
    rubric = edit_rubric(actor=s.owner, rubric=s.round.rubric, title="Renamed", spec=SPEC)
    assert rubric.pk == s.round.rubric_id
    assert rubric.title == "Renamed"


def test_copying_a_rubric():
    s = story(n=0, phase=Phase.DRAFT)
    copy = copy_rubric(actor=s.owner, rubric=s.round.rubric)
    assert copy.pk != s.round.rubric_id
    assert copy.criteria.count() == 2
    assert Level.objects.filter(criterion__rubric=copy).count() == 6


# Rounds and phases ------------------------------------------------------------------------


def test_deadlines_out_of_order_are_refused():
    owner = UserFactory()
    community = new_community(manager=owner)
    now = timezone.now()
    with pytest.raises(ValidationError, match="Deadlines run in order"):
        make_round(community, owner, review_due_at=now + timedelta(hours=1))
    assert not Round.objects.exists()


def test_review_phase_needs_reviewers_per_submission_plus_one():
    s = story(n=2)
    with pytest.raises(ValidationError, match="needs at least 3"):
        s.advance()
    assert s.refresh().phase == Phase.SUBMISSION
    assert not Review.objects.exists()


def test_opening_review_allocates_evenly_never_own_work():
    s = story(n=5, phase=Phase.REVIEW, reviewers_per_submission=3)
    for submission in Submission.objects.filter(round=s.round):
        reviewers = list(submission.reviews.values_list("reviewer_id", flat=True))
        assert len(set(reviewers)) == 3
        assert submission.author_id not in reviewers
    loads = [Review.objects.filter(reviewer=a).count() for a in s.authors]
    assert max(loads) - min(loads) <= 1


def test_advance_with_stale_expected_phase_does_nothing():
    s = story(n=3)
    advance_phase(actor=s.owner, round_=s.round, expected=Phase.DRAFT)
    assert s.refresh().phase == Phase.SUBMISSION


def test_members_cannot_advance():
    s = story(n=3)
    with pytest.raises(PermissionDenied):
        advance_phase(actor=s.authors[0], round_=s.round)


# Submissions ------------------------------------------------------------------------------


def test_submission_can_be_replaced_until_the_deadline():
    s = story(n=3)
    author = s.authors[0]
    submit_work(actor=author, round_=s.round, body="Better words")
    submission = s.submission_of(author)
    assert submission.versions.count() == 1
    assert submission.versions.get().body == "Better words"


def test_submission_after_the_deadline_is_refused():
    s = story(n=3)
    Round.objects.filter(pk=s.round.pk).update(submission_due_at=timezone.now())
    late = add_member(s.community)
    with pytest.raises(ValidationError, match="deadline passed"):
        submit_work(actor=late, round_=s.round, body="Late")
    assert not Submission.objects.filter(author=late).exists()


def test_outsiders_cannot_submit():
    s = story(n=3)
    with pytest.raises(PermissionDenied):
        submit_work(actor=s.outsider, round_=s.round, body="Hi")


def test_attachment_type_is_checked_by_content():
    s = story(n=3)
    fake = SimpleUploadedFile("essay.pdf", b"MZ\x90\x00\x03\x00binary\x00", "application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        submit_work(actor=s.authors[0], round_=s.round, body="With file", files=[fake])
    assert s.submission_of(s.authors[0]).versions.get().body != "With file"
    assert not Attachment.objects.exists()


def test_attachment_too_big_is_refused(settings):
    settings.TRELLIS_FEEDBACK_MAX_ATTACHMENT_BYTES = 1024 * 1024
    s = story(n=3)
    big = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1), "text/plain")
    with pytest.raises(ValidationError, match="at most 1 MB"):
        submit_work(actor=s.authors[0], round_=s.round, body="With file", files=[big])
    assert not Attachment.objects.exists()


def test_good_attachments_are_stored_without_revealing_names():
    s = story(n=3)
    files = [
        SimpleUploadedFile("alice-essay.png", PNG, "image/png"),
        SimpleUploadedFile("notes by alice.txt", "Notes — ünïcode".encode(), "text/plain"),
        SimpleUploadedFile("paper.pdf", b"%PDF-1.7\n...", "application/pdf"),
    ]
    submit_work(actor=s.authors[0], round_=s.round, body="With files", files=files)
    stored = list(Attachment.objects.order_by("pk"))
    assert [a.content_type for a in stored] == ["image/png", "text/plain", "application/pdf"]
    for attachment in stored:
        assert "alice" not in attachment.file.name
        assert "alice" not in attachment.download_name


# Reviews ----------------------------------------------------------------------------------


def test_a_complete_review_is_submitted_once():
    s = story(n=3, phase=Phase.REVIEW)
    review = Review.objects.filter(round=s.round).first()
    write_review(review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.total_points == 6
    with pytest.raises(ValidationError, match="already submitted"):
        write_review(review, pick=min)
    assert Score.objects.filter(review=review).count() == 2
    review.refresh_from_db()
    assert review.total_points == 6, "the second submission changed nothing"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"drop": True}, "every criterion"),
        ({"strengths": "  "}, "strength"),
        ({"improvements": ""}, "improvement"),
    ],
)
def test_incomplete_reviews_are_refused(change, message):
    s = story(n=3, phase=Phase.REVIEW)
    review = Review.objects.filter(round=s.round).first()
    levels = levels_for(s.round)
    if change.get("drop"):
        levels.pop(next(iter(levels)))
    with pytest.raises(ValidationError, match=message):
        save_review(
            actor=review.reviewer,
            review=review,
            levels=levels,
            strengths=change.get("strengths", "Clear"),
            improvements=change.get("improvements", "More examples"),
            final=True,
        )
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED
    assert not Score.objects.exists()


def test_a_level_from_another_rubric_is_refused():
    s = story(n=3, phase=Phase.REVIEW)
    other = make_rubric(s.community, s.owner)
    review = Review.objects.filter(round=s.round).first()
    levels = levels_for(s.round)
    first = next(iter(levels))
    levels[first] = Level.objects.filter(criterion__rubric=other).first().pk
    with pytest.raises(ValidationError, match="not one of"):
        save_review(
            actor=review.reviewer, review=review, levels=levels, strengths="a b", improvements="c d"
        )
    assert not Score.objects.exists()


def test_a_draft_saves_partial_work():
    s = story(n=3, phase=Phase.REVIEW)
    review = Review.objects.filter(round=s.round).first()
    levels = levels_for(s.round)
    levels.pop(next(iter(levels)))
    save_review(actor=review.reviewer, review=review, levels=levels, strengths="Half done")
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert review.strengths == "Half done"


def test_someone_else_cannot_write_a_review():
    s = story(n=3, phase=Phase.REVIEW)
    review = Review.objects.filter(round=s.round).first()
    with pytest.raises(Http404):
        save_review(actor=s.owner, review=review, levels={}, final=False)


def test_outliers_are_flagged():
    s = story(n=4, phase=Phase.REVIEW, reviewers_per_submission=3)
    submission = s.submission_of(s.authors[0])
    reviews = list(submission.reviews.all())
    write_review(reviews[0], pick=max)
    write_review(reviews[1], pick=max)
    write_review(reviews[2], pick=min)
    flagged = Review.objects.filter(submission=submission, is_outlier=True)
    assert list(flagged) == [reviews[2]]


# Results, helpfulness, overrides, revision ----------------------------------------------


def test_results_medians_and_flexible_completion():
    s = story(n=3, phase=Phase.REVIEW)
    submission = s.submission_of(s.authors[0])
    first = submission.reviews.first()
    write_review(first, pick=min)
    s.advance()  # review phase ends with one of two reviews in
    result = submission_results(submission)
    assert result["review_count"] == 1
    assert result["is_partial"]
    assert result["first_total"] == 0
    assert submission.reviews.filter(status=ReviewStatus.LAPSED).count() == 1


def test_override_wins_and_is_logged():
    s = story(n=3, phase=Phase.REVIEW)
    submission = s.submission_of(s.authors[0])
    for review in submission.reviews.all():
        write_review(review, pick=min)
    criterion = s.round.rubric.criteria.first()
    with pytest.raises(ValidationError, match="Say why"):
        override_score(
            actor=s.owner, submission=submission, criterion_id=criterion.pk, points=4, reason=""
        )
    with pytest.raises(ValidationError, match="scores one of"):
        override_score(
            actor=s.owner, submission=submission, criterion_id=criterion.pk, points=3,
            reason="Reviewers missed the appendix",
        )  # fmt: skip
    override_score(
        actor=s.owner, submission=submission, criterion_id=criterion.pk, points=4,
        reason="Reviewers missed the appendix",
    )  # fmt: skip
    result = submission_results(submission)
    assert result["rows"][0]["before"] == 4
    assert result["first_total"] == 4
    assert ScoreOverride.objects.get().actor == s.owner


def test_helpfulness_only_by_the_author_after_results():
    s = story(n=3, phase=Phase.REVIEW)
    submission = s.submission_of(s.authors[0])
    review = submission.reviews.first()
    write_review(review)
    with pytest.raises(Http404):
        rate_helpfulness(actor=s.authors[0], review=review, rating=4)
    s.advance()
    with pytest.raises(ValidationError, match="from 1"):
        rate_helpfulness(actor=s.authors[0], review=review, rating=9)
    rate_helpfulness(actor=s.authors[0], review=review, rating=4, note="Useful example")
    rate_helpfulness(actor=s.authors[0], review=review, rating=5)
    assert Helpfulness.objects.get(review=review).rating == 5


def test_revision_reflection_and_rereview_change():
    s = story(n=3, phase=Phase.REVIEW)
    for review in Review.objects.filter(round=s.round):
        write_review(review, pick=min)
    s.advance()  # revision
    author = s.authors[0]
    submission = s.submission_of(author)
    with pytest.raises(ValidationError, match="reflection"):
        revise_submission(actor=author, submission=submission, body="New", reflection="")
    revise_submission(
        actor=author,
        submission=submission,
        body="My essay, revised.",
        reflection="I added an example as both reviewers asked.",
    )
    assert SubmissionVersion.objects.filter(submission=submission).count() == 2
    s.advance()  # re-review
    rereviews = Review.objects.filter(submission=submission, stage=Stage.REREVIEW)
    assert rereviews.count() == 2
    assert {r.version.number for r in rereviews} == {2}
    assert not Review.objects.filter(stage=Stage.REREVIEW).exclude(submission=submission).exists()
    for review in rereviews:
        write_review(review, pick=max)
    result = submission_results(submission)
    assert [row["change"] for row in result["rows"]] == [4, 2]


def test_calibration_agree_or_explain():
    s = story(n=3)
    reference = levels_for(s.round, pick=max)
    add_calibration_example(actor=s.owner, round_=s.round, body="A sample", reference=reference)
    s.advance()
    reviewer = s.authors[0]
    differences = calibrate(actor=reviewer, round_=s.round, levels=levels_for(s.round, min))
    assert set(differences) == set(reference)
    from feedback.services.reviews import needs_calibration

    assert needs_calibration(reviewer, s.round)
    calibrate(
        actor=reviewer,
        round_=s.round,
        levels=levels_for(s.round, min),
        explanation="The sample has no evidence for its claim.",
    )
    assert not needs_calibration(reviewer, s.round)
    assert calibrate(actor=s.authors[1], round_=s.round, levels=reference) == {}
    assert not needs_calibration(s.authors[1], s.round)
