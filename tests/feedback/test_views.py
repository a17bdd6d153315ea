"""The pages of peer review, walked as people use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import Attachment, Criterion, Phase, Review, ReviewStatus, Round, Rubric
from feedback.services.submissions import revise_submission
from tests.communities.factories import UserFactory, add_member, new_community
from tests.feedback.factories import SPEC, deadlines, levels_for, story, write_review

pytestmark = pytest.mark.django_db


def _dt(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def test_owner_builds_a_rubric_and_a_round_then_opens_it(client):
    owner = UserFactory()
    community = new_community(manager=owner)
    client.force_login(owner)
    bad = client.post(
        reverse("feedback:rubric-create", args=[community.slug]),
        {"title": "Essays", "spec": "# Only one level\n- 1 | Yes"},
    )
    assert "needs at least two levels" in bad.content.decode()
    assert not Rubric.objects.exists()
    response = client.post(
        reverse("feedback:rubric-create", args=[community.slug]), {"title": "Essays", "spec": SPEC}
    )
    rubric = Rubric.objects.get()
    assert response.url == reverse("feedback:rubric-detail", args=[rubric.pk])
    data = {
        "title": "Spring essays",
        "instructions": "Write *one* page.",
        "rubric": rubric.pk,
        "reviewers_per_submission": 2,
        "anonymity": "double",
        "participation": "submitters",
        "lease_hours": 8,
        **{k: _dt(v) for k, v in deadlines().items()},
    }
    response = client.post(reverse("feedback:round-create", args=[community.slug]), data)
    round_ = Round.objects.get()
    assert response.url == reverse("feedback:round-detail", args=[round_.pk])
    client.post(reverse("feedback:round-advance", args=[round_.pk]), {"expected": "draft"})
    round_.refresh_from_db()
    assert round_.phase == Phase.SUBMISSION
    assert Rubric.objects.get().is_locked
    page = client.get(f"/c/{community.slug}/")
    assert "Spring essays" in page.content.decode(), "the community page lists open rounds"


def test_submit_with_attachments_and_refused_files(client):
    s = story(n=0)
    member = add_member(s.community)
    client.force_login(member)
    url = reverse("feedback:submit", args=[s.round.pk])
    exe = SimpleUploadedFile("essay.pdf", b"MZ\x90\x00binary\x00\x01", "application/pdf")
    response = client.post(url, {"body": "My essay", "files": [exe]})
    assert "not a PDF" in response.content.decode()
    assert not s.round.submissions.exists()
    pdf = SimpleUploadedFile("mine.pdf", b"%PDF-1.4 hello", "application/pdf")
    response = client.post(url, {"body": "My essay", "files": [pdf]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(reverse("feedback:attachment", args=[attachment.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert f"attachment-{attachment.pk}.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"%PDF-1.4 hello"


def test_review_draft_autosave_then_submit_then_results(client):
    s = story(n=3, phase=Phase.REVIEW)
    review = Review.objects.filter(round=s.round).first()
    client.force_login(review.reviewer)
    url = reverse("feedback:review-detail", args=[review.pk])
    criteria = list(Criterion.objects.filter(rubric=s.round.rubric))
    levels = levels_for(s.round)
    first = {f"level_{criteria[0].pk}": levels[criteria[0].pk], "strengths": "Vivid"}
    saved = client.post(url, {**first, "action": "draft"}, headers={"HX-Request": "true"})
    assert "Draft saved" in saved.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    missing = client.post(url, {**first, "improvements": "More", "action": "submit"})
    assert "Choose a level for every criterion" in missing.content.decode()
    full = {f"level_{c.pk}": levels[c.pk] for c in criteria}
    done = client.post(
        url, {**full, "strengths": "Vivid", "improvements": "Cite it", "action": "submit"}
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    for other in Review.objects.filter(submission=review.submission).exclude(pk=review.pk):
        write_review(other)
    client.force_login(review.submission.author)
    results = client.get(reverse("feedback:submission-results", args=[review.submission_id]))
    body = results.content.decode()
    assert results.status_code == 200
    assert "Vivid" in body
    assert "data-total>6<" in body


def test_rereview_shows_a_diff_and_the_author_sees_the_change(client):
    s = story(n=3, phase=Phase.REVIEW)
    for review in Review.objects.filter(round=s.round):
        write_review(review, pick=min)
    s.advance()
    author = s.authors[0]
    submission = s.submission_of(author)
    revise_submission(
        actor=author,
        submission=submission,
        body="My essay number 0.\n\nA <b>new</b> paragraph.",
        reflection="I added a paragraph, as asked.",
    )
    s.advance()
    rereview = Review.objects.filter(submission=submission, stage="rereview").first()
    client.force_login(rereview.reviewer)
    page = client.get(reverse("feedback:review-detail", args=[rereview.pk])).content.decode()
    assert '<ins class="diff__ins">A &lt;b&gt;new&lt;/b&gt; paragraph.</ins>' in page
    assert "I added a paragraph" in page
    for review in Review.objects.filter(submission=submission, stage="rereview"):
        write_review(review, pick=max)
    client.force_login(author)
    results = client.get(reverse("feedback:submission-results", args=[submission.pk]))
    assert "+4" in results.content.decode()


# Constant queries ----------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _round_with(n: int):
    s = story(n=n, phase=Phase.REVIEW)
    for review in Review.objects.filter(round=s.round):
        write_review(review)
    return s


def test_pages_take_the_same_queries_with_5_and_50_rows(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    small, large = _round_with(5), _round_with(50)
    counts = {}
    for label, s in (("small", small), ("large", large)):
        client.force_login(s.owner)
        target = s.submission_of(s.authors[0])
        counts[label] = {
            "round": _count(client, reverse("feedback:round-detail", args=[s.round.pk])),
            "overview": _count(client, reverse("feedback:round-overview", args=[s.round.pk])),
            "results": _count(client, reverse("feedback:submission-results", args=[target.pk])),
            "quality": _count(client, reverse("feedback:round-quality", args=[s.round.pk])),
        }
        # A reviewer's queue: give one reviewer a review of every submission of the round.
        reviewer = UserFactory()
        Review.objects.bulk_create(
            Review(
                round=s.round,
                submission=sub,
                version=sub.versions.get(),
                reviewer=reviewer,
                due_at=s.round.review_due_at,
            )
            for sub in s.round.submissions.all()
        )
        client.force_login(reviewer)
        counts[label]["queue"] = _count(client, reverse("feedback:my-reviews"))
    assert counts["small"] == counts["large"]


def test_a_circle_round_is_hidden_from_members_outside_the_circle(client):
    from communities.models import Circle, CircleMembership
    from feedback.models import Participation

    owner = UserFactory()
    community = new_community(manager=owner)
    circle = Circle.objects.create(
        community=community,
        name="Writers",
        slug="writers",
        kind="learning",
        purpose="Write",
        learning_goals="Write more",
        weekday=1,
        time_of_day="10:00",
        capacity=6,
        created_by=owner,
    )
    seated = [add_member(community) for _ in range(3)]
    for person in seated:
        CircleMembership.objects.create(circle=circle, user=person)
    from tests.feedback.factories import make_round

    with pytest.raises(Exception, match="needs at least 4 participants"):
        make_round(community, owner, circle=circle, participation=Participation.CIRCLE,
                   reviewers_per_submission=3)  # fmt: skip
    round_ = make_round(community, owner, circle=circle, participation=Participation.CIRCLE)
    from feedback.services.rounds import advance_phase

    advance_phase(actor=owner, round_=round_)
    outside = add_member(community)
    client.force_login(outside)
    assert client.get(reverse("feedback:round-detail", args=[round_.pk])).status_code == 404
    listing = client.get(reverse("feedback:round-list", args=[community.slug])).content.decode()
    assert round_.title not in listing
    client.force_login(seated[0])
    assert client.get(reverse("feedback:round-detail", args=[round_.pk])).status_code == 200


def test_a_circle_facilitator_runs_reviews_in_their_circle_only(client):
    from communities.models import Circle, CircleMembership

    community = new_community()
    facilitator = add_member(community)
    circle = Circle.objects.create(
        community=community,
        name="Poets",
        slug="poets",
        kind="learning",
        purpose="Poems",
        learning_goals="More poems",
        weekday=2,
        time_of_day="18:00",
        capacity=6,
        created_by=facilitator,
    )
    CircleMembership.objects.create(circle=circle, user=facilitator)
    client.force_login(facilitator)
    url = reverse("feedback:rubric-create", args=[community.slug])
    nowhere = client.post(url, {"title": "Poems", "spec": SPEC})
    assert "This field is required" in nowhere.content.decode()
    assert not Rubric.objects.exists()
    client.post(url, {"title": "Poems", "spec": SPEC, "circle": circle.pk})
    assert Rubric.objects.get().circle == circle
    member = add_member(community)
    client.force_login(member)
    assert client.get(url).status_code == 404
