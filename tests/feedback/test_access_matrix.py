"""Every peer-review URL, from every role of the issue.

Roles, in order: anonymous, non-member, participant (a member who did not submit), the
author of the submission under test, one of its allocated reviewers, another participant
(a submitter not reviewing it), the round's owner, a moderator of the community, staff.
Anonymous visitors are sent to sign in (302); whatever must stay hidden answers 404.
The round is in its review phase with the submission's reviews in (so its results are open).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback.models import Attachment, Phase, Review
from feedback.services.rounds import add_calibration_example
from feedback.services.submissions import submit_work
from tests.communities.factories import UserFactory
from tests.feedback.factories import levels_for, story, write_review

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous", "outsider", "participant", "author", "reviewer", "other", "owner",
    "moderator", "staff",
)  # fmt: skip


@dataclass
class World:
    urls: dict
    people: dict


@dataclass
class Row:
    name: str
    url: Callable[[World], str]
    codes: str
    method: str = "get"
    data: dict = field(default_factory=dict)

    def expected(self) -> dict[str, int]:
        codes = self.codes.split()
        assert len(codes) == len(ROLES), f"{self.name}: one status per role"
        return dict(zip(ROLES, map(int, codes), strict=True))


def url(name: str, key: str) -> Callable[[World], str]:
    return lambda world: reverse(f"feedback:{name}", args=[world.urls[key]])


#                        anon out part auth rev  oth  own  mod  staff
EVERY_SIGNED_IN = "       302  200  200  200  200  200  200  200  200"
MEMBERS = "               302  404  200  200  200  200  200  200  200"
OWNER_PAGE = "            302  404  404  404  404  404  200  404  200"
OWNER_POST = "            302  404  404  404  404  404  302  404  302"
TARGET_READERS = "        302  404  404  200  200  404  200  404  200"
RESULTS = "               302  404  404  200  404  404  200  404  200"
AUTHOR_ONLY = "           302  404  404  200  404  404  404  404  404"
AUTHOR_POST = "           302  404  404  302  404  404  404  404  404"
REVIEWING = "             302  404  404  200  200  200  200  404  200"
NOBODY_POST = "           302  404  404  404  404  404  404  404  404"
MEMBERS_REDIRECT = "      302  404  302  302  302  302  302  302  404"

ROWS = [
    Row("my-reviews", lambda w: reverse("feedback:my-reviews"), EVERY_SIGNED_IN),
    Row("round-list", url("round-list", "slug"), MEMBERS),
    Row("round-create", url("round-create", "slug"), OWNER_PAGE),
    Row("rubric-list", url("rubric-list", "slug"), OWNER_PAGE),
    Row("rubric-create", url("rubric-create", "slug"), OWNER_PAGE),
    Row("rubric-detail", url("rubric-detail", "rubric"), OWNER_PAGE),
    Row("rubric-edit", url("rubric-edit", "rubric"), OWNER_PAGE),
    Row("rubric-copy", url("rubric-copy", "rubric"), OWNER_POST, "post"),
    Row("round-detail", url("round-detail", "round"), MEMBERS),
    Row("round-edit", url("round-edit", "round"), OWNER_PAGE),
    Row("round-advance", url("round-advance", "round"), OWNER_POST, "post", {"expected": "draft"}),
    Row("round-overview", url("round-overview", "round"), OWNER_PAGE),
    Row(
        "round-add-reviewer",
        url("round-add-reviewer", "round"),
        OWNER_POST,
        "post",
        {"username": "nobody-by-this-name"},
    ),
    Row("round-quality", url("round-quality", "round"), OWNER_PAGE),
    Row("submit", url("submit", "round"), MEMBERS_REDIRECT),
    Row("calibration", url("calibration", "round"), REVIEWING),
    Row("calibration-example-create", url("calibration-example-create", "round"), OWNER_PAGE),
    Row("submission-detail", url("submission-detail", "submission"), TARGET_READERS),
    Row("submission-results", url("submission-results", "submission"), RESULTS),
    Row("submission-revise", url("submission-revise", "submission"), AUTHOR_ONLY),
    Row("submission-override", url("submission-override", "submission"), OWNER_POST, "post"),
    Row("attachment", url("attachment", "attachment"), TARGET_READERS),
    Row("review-detail", url("review-detail", "review"), TARGET_READERS),
    Row("review-claim", url("review-claim", "review"), NOBODY_POST, "post"),
    Row("review-rate", url("review-rate", "review"), AUTHOR_POST, "post", {"rating": "4"}),
]


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    s = story(n=4, phase=Phase.SUBMISSION)
    add_calibration_example(
        actor=s.owner, round_=s.round, body="Sample", reference=levels_for(s.round)
    )
    author = s.authors[0]
    png = SimpleUploadedFile("author-name.png", b"\x89PNG\r\n\x1a\n0000", "image/png")
    submit_work(actor=author, round_=s.round, body="Final words", files=[png])
    s.advance()
    target = s.submission_of(author)
    reviews = list(Review.objects.filter(submission=target))
    for review in reviews:
        write_review(review)
    reviewer_ids = {r.reviewer_id for r in reviews}
    other = next(a for a in s.authors[1:] if a.pk not in reviewer_ids)
    people = {
        "anonymous": None,
        "outsider": s.outsider,
        "participant": s.bystander,
        "author": author,
        "reviewer": reviews[0].reviewer,
        "other": other,
        "owner": s.owner,
        "moderator": s.moderator,
        "staff": UserFactory(is_staff=True),
    }
    urls = {
        "slug": s.community.slug,
        "round": s.round.pk,
        "rubric": s.round.rubric_id,
        "submission": target.pk,
        "attachment": Attachment.objects.get().pk,
        "review": reviews[0].pk,
    }
    return World(urls=urls, people=people)


def test_every_url_from_every_role(client, world):
    mismatches = []
    for row in ROWS:
        for role, expected in row.expected().items():
            client.logout()
            if world.people[role] is not None:
                client.force_login(world.people[role])
            response = getattr(client, row.method)(row.url(world), row.data)
            if response.status_code != expected:
                mismatches.append(f"{row.name} as {role}: {response.status_code} != {expected}")
    assert not mismatches, "\n".join(mismatches)


def test_reviewers_never_see_the_author_under_double_anonymity(client, world):
    author = world.people["author"]
    client.force_login(world.people["reviewer"])
    for name in ("review-detail", "submission-detail", "attachment"):
        response = client.get(reverse(f"feedback:{name}", args=[world.urls[name.split("-")[0]]]))
        body = b"".join(response) if hasattr(response, "streaming_content") else response.content
        assert author.public_name.encode() not in body
        assert author.username.encode() not in body
        assert b"author-name" not in body
        assert b"author-name" not in response.get("Content-Disposition", "").encode()
    queue = client.get(reverse("feedback:my-reviews")).content.decode()
    assert author.public_name not in queue


def test_authors_never_see_reviewer_names(client, world):
    reviewer = world.people["reviewer"]
    client.force_login(world.people["author"])
    page = client.get(reverse("feedback:submission-results", args=[world.urls["submission"]]))
    assert page.status_code == 200
    assert reviewer.public_name not in page.content.decode()
    assert "Reviewer 1" in page.content.decode()
