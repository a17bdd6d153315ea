"""Peer-review demo data on top of the communities demo (idempotent, through services).

- "Retro write-ups" in the Retrospective Craft circle: in its review phase, a calibration
  example, some reviews in and one outlier.
- "Facilitation case notes" in the facilitation community: closed, with results, a
  revision with a reflection and its re-review.
"""

from datetime import timedelta

from django.utils import timezone

from communities.models import Circle, Community, User
from feedback.models import Anonymity, Criterion, Participation, Review, Round, Rubric
from feedback.services.reviews import calibrate, save_review
from feedback.services.rounds import add_calibration_example, advance_phase, create_round
from feedback.services.rubrics import create_rubric
from feedback.services.submissions import revise_submission, submit_work

RUBRIC = """# Insight | Does the write-up say what the team learned?
- 0 | Missing | A list of events, no learning
- 2 | Partial | A lesson, loosely tied to what happened
- 4 | Clear | A lesson, with the evidence for it
# Actions | Are the next steps concrete?
- 0 | Vague | No owner or date
- 1 | Some | Owners or dates for some
- 2 | Concrete | Every action has an owner and a date
"""

WRITE_UPS = {
    "priya": "We tried a *sailboat* retro with a team that had stopped talking. The anchor "
    "exercise surfaced a release process nobody owned.",
    "tomas": "Ran a 4Ls retro for a public-sector team. Lacked: a decision log. "
    "Longed for: fewer status meetings.",
    "lee": "My first retro. I used start/stop/continue and ran out of time before actions.",
    "jon": "Timeline retro after an outage: we drew the incident hour by hour and found two "
    "alerts that nobody read.",
}


def _levels(rubric: Rubric, pick) -> dict[int, int]:
    return {
        c.pk: pick(c.levels.all(), key=lambda lv: lv.points).pk
        for c in Criterion.objects.filter(rubric=rubric).prefetch_related("levels")
    }


def _review(review: Review, pick, strengths: str, improvements: str) -> None:
    save_review(
        actor=review.reviewer,
        review=review,
        levels=_levels(review.round.rubric, pick),
        strengths=strengths,
        improvements=improvements,
        final=True,
    )


def _deadlines() -> dict:
    now = timezone.now()
    return {
        "submission_due_at": now + timedelta(days=3),
        "review_due_at": now + timedelta(days=7),
        "revision_due_at": now + timedelta(days=10),
        "rereview_due_at": now + timedelta(days=14),
    }


def seed_feedback_demo(stdout=None) -> None:
    community = Community.objects.filter(slug="facilitation").first()
    people = {u.username: u for u in User.objects.filter(username__in=[*WRITE_UPS, "maya"])}
    if community is None or len(people) < 5:
        return
    maya = people["maya"]
    if Round.objects.filter(community=community, title__startswith="Retro write-ups").exists():
        return
    rubric = create_rubric(
        actor=maya, community=community, title="Retrospective write-up", spec=RUBRIC
    )
    circle = Circle.objects.filter(community=community, name="Retrospective Craft").first()
    _review_round(community, circle, rubric, maya, people)
    _closed_round(community, rubric, maya, people)
    if stdout is not None:
        stdout.write("Peer review: a round in review (Retrospective Craft) and a closed one.")


def _review_round(community, circle, rubric, maya, people) -> None:
    round_ = create_round(
        actor=maya,
        community=community,
        circle=circle,
        title="Retro write-ups, spring",
        instructions="Write up **one retrospective** you ran: what happened, what the team "
        "learned, and the actions you agreed.",
        rubric=rubric,
        reviewers_per_submission=3,
        anonymity=Anonymity.DOUBLE,
        participation=Participation.CIRCLE if circle else Participation.SUBMITTERS,
        **_deadlines(),
    )
    add_calibration_example(
        actor=maya,
        round_=round_,
        body="We ran a retro. People said things. We will do better next sprint.",
        reference=_levels(rubric, min),
    )
    round_ = advance_phase(actor=maya, round_=round_)
    for name, text in WRITE_UPS.items():
        submit_work(actor=people[name], round_=round_, body=text)
    round_ = advance_phase(actor=maya, round_=round_)
    for name in ("tomas", "lee", "jon"):
        calibrate(actor=people[name], round_=round_, levels=_levels(rubric, min))
    target = round_.submissions.get(author=people["priya"])
    for review in Review.objects.filter(submission=target).select_related("reviewer", "round"):
        if review.reviewer.username == "jon":
            _review(review, min, "Short", "Say more about what changed")  # the outlier
        else:
            _review(review, max, "The anchor exercise is vivid", "Add the date of the follow-up")


def _closed_round(community, rubric, maya, people) -> None:
    round_ = create_round(
        actor=maya,
        community=community,
        title="Facilitation case notes, winter",
        instructions="A one-page case note on a session you facilitated.",
        rubric=rubric,
        reviewers_per_submission=2,
        anonymity=Anonymity.REVIEWERS_HIDDEN,
        **_deadlines(),
    )
    round_ = advance_phase(actor=maya, round_=round_)
    for name in ("priya", "tomas", "lee"):
        submit_work(actor=people[name], round_=round_, body=WRITE_UPS[name])
    round_ = advance_phase(actor=maya, round_=round_)
    for review in Review.objects.filter(round=round_).select_related("reviewer", "round"):
        pick = min if review.submission.author.username == "lee" else max
        _review(review, pick, "Honest about what went wrong", "Agree actions before time ends")
    round_ = advance_phase(actor=maya, round_=round_)
    lee_submission = round_.submissions.get(author=people["lee"])
    revise_submission(
        actor=people["lee"],
        submission=lee_submission,
        body=WRITE_UPS["lee"] + "\n\nNext time I timebox each part and leave ten minutes "
        "for actions: Jon owns the deploy checklist, due Friday.",
        reflection="Both reviewers said the actions were missing, so I added owners and "
        "dates. I kept start/stop/continue: it suited a first retro.",
    )
    round_ = advance_phase(actor=maya, round_=round_)
    for review in Review.objects.filter(round=round_, stage="rereview").select_related(
        "reviewer", "round"
    ):
        _review(review, max, "The actions are concrete now", "Say how the checklist went")
    advance_phase(actor=maya, round_=round_)
