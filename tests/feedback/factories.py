"""Rubrics, rounds and their people, built through the services."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from communities.models import Community, User
from feedback.models import Anonymity, Criterion, Phase, Review, Round, Rubric, Submission
from feedback.services.reviews import save_review
from feedback.services.rounds import advance_phase, create_round
from feedback.services.rubrics import create_rubric
from feedback.services.submissions import submit_work
from tests.communities.factories import UserFactory, add_member, new_community

SPEC = """# Argument | Is the main claim clear and supported?
- 0 | Missing | No clear claim
- 2 | Partial | A claim, weakly supported
- 4 | Strong | A clear claim, well supported
# Craft | Is it well written?
- 0 | Rough | Hard to read
- 1 | Fair | Readable
- 2 | Polished | A pleasure to read
"""


def make_rubric(community: Community, actor: User, spec: str = SPEC, **kw) -> Rubric:
    return create_rubric(actor=actor, community=community, title="Essay rubric", spec=spec, **kw)


def deadlines(start=None) -> dict:
    start = start or timezone.now()
    return {
        "submission_due_at": start + timedelta(days=2),
        "review_due_at": start + timedelta(days=4),
        "revision_due_at": start + timedelta(days=6),
        "rereview_due_at": start + timedelta(days=8),
    }


def make_round(community, owner, *, rubric=None, circle=None, **overrides) -> Round:
    values = {
        "title": "Essay round",
        "instructions": "Write **one page** on a practice you changed.",
        "rubric": rubric or make_rubric(community, owner),
        "reviewers_per_submission": 2,
        "anonymity": Anonymity.DOUBLE,
        **deadlines(),
    }
    values.update(overrides)
    return create_round(actor=owner, community=community, circle=circle, **values)


def levels_for(round_: Round, pick=max) -> dict[int, int]:
    """criterion id -> a level id (the highest by default)."""
    chosen = {}
    for criterion in Criterion.objects.filter(rubric=round_.rubric).prefetch_related("levels"):
        chosen[criterion.pk] = pick(criterion.levels.all(), key=lambda lv: lv.points).pk
    return chosen


def write_review(review: Review, pick=max, **kw) -> Review:
    return save_review(
        actor=review.reviewer,
        review=review,
        levels=levels_for(review.round, pick),
        strengths=kw.pop("strengths", "Clear opening"),
        improvements=kw.pop("improvements", "Add an example"),
        final=kw.pop("final", True),
        **kw,
    )


@dataclass
class Story:
    """A community, its manager who owns a round, and `n` members who submitted."""

    community: Community
    owner: User
    round: Round
    authors: list[User] = field(default_factory=list)
    outsider: User | None = None
    bystander: User | None = None
    moderator: User | None = None

    def submission_of(self, user) -> Submission:
        return Submission.objects.get(round=self.round, author=user)

    def refresh(self) -> Round:
        self.round.refresh_from_db()
        return self.round

    def advance(self) -> Round:
        self.round = advance_phase(actor=self.owner, round_=self.refresh())
        return self.round


def story(n: int = 4, *, phase: str = Phase.SUBMISSION, **round_kw) -> Story:
    from communities.public import Role

    owner = UserFactory()
    community = new_community(manager=owner)
    round_ = make_round(community, owner, **round_kw)
    s = Story(community=community, owner=owner, round=round_)
    s.outsider = UserFactory()
    s.bystander = add_member(community)
    s.moderator = add_member(community, role=Role.MODERATOR)
    if phase == Phase.DRAFT:
        return s
    s.advance()
    for i in range(n):
        author = add_member(community)
        submit_work(actor=author, round_=s.round, body=f"My essay number {i}.\n\nSecond line.")
        s.authors.append(author)
    while s.refresh().phase != phase:
        s.advance()
    return s
