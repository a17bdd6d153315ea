"""Mentoring demo data for `seed_demo`: a programme in Data Engineering Learners whose
profiles make the reasons interesting, proposals waiting for approval, two active
relationships with goals and sessions, one gone quiet (so a nudge shows) and one closed with
reflections. Built through the services; idempotent by the programme's name."""

import datetime as dt

from django.utils import timezone

from communities.models import Community, Membership, User
from communities.public import join_open_community

from .models import MenteeRequest, Pairing, Programme
from .services import (
    add_goal,
    approve_proposal,
    create_programme,
    log_session,
    plan_next_session,
    respond,
    run_matching,
    save_mentee_request,
    save_mentor_profile,
    update_goal,
    write_reflection,
)
from .services.nudges import nudge_quiet_pairs

PROGRAMME = "Pipeline mentoring"
GUESTS = ["maya", "tomas", "fatima", "olga", "sam_staff"]

MENTORS = {
    # handle: topics, capacity, timezone, hours, languages, experience, pitch
    "amara": (["sql", "data-engineering", "airflow"], 3, "Africa/Lagos", (9, 17),
              "english, yoruba", "career changer",
              "I moved from analytics into platform work and love helping others make the jump."),
    "kenji": (["python", "testing"], 2, "Asia/Tokyo", (13, 21), "english, japanese", "",
              "Tests make data work calm. Let's write some together."),
    "priya": (["coaching", "retrospectives", "python"], 2, "Asia/Kolkata", (10, 18),
              "english, tamil", "returning parent",
              "Agile coach; happy to help you lead a data team's rituals."),
}  # fmt: skip

MENTEES = {
    # handle: goals, topics, timezone, hours, languages, experience
    "lee": ("Build my first reliable pipeline end to end.", ["sql", "airflow"],
            "Asia/Seoul", (9, 18), "english, korean", "career changer"),
    "olga": ("Write tests for the data jobs my team owns.", ["python", "testing"],
             "Europe/Warsaw", (8, 16), "english, polish", ""),
    "maya": ("Run better retrospectives with my data team.", ["coaching", "retrospectives"],
             "Europe/Stockholm", (8, 16), "english, swedish", "returning parent"),
    "fatima": ("Learn enough SQL to analyse interview data myself.", ["sql"],
               "Africa/Casablanca", (9, 17), "english, arabic, french", ""),
    "tomas": ("Automate the reports I build by hand every week.", ["python", "sql"],
              "Europe/Lisbon", (9, 17), "english, portuguese", "career changer"),
    "sam_staff": ("Understand the pipelines behind our dashboards.", ["data-engineering"],
                  "Europe/London", (9, 17), "english", ""),
}  # fmt: skip


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def seed_mentoring_demo(*, stdout=None) -> Programme | None:
    community = Community.objects.filter(slug="data-engineering").first()
    if community is None:
        return None
    existing = Programme.objects.filter(community=community, name=PROGRAMME).first()
    if existing:
        return existing
    people = {u.username: u for u in User.objects.filter(username__in=[*MENTORS, *MENTEES, "jon"])}
    for handle in GUESTS:
        if (
            handle in people
            and not Membership.objects.filter(
                user=people[handle], community=community, status="active"
            ).exists()
        ):
            join_open_community(user=people[handle], community=community, agreed_to_guidelines=True)
    manager = people["jon"]
    programme = create_programme(
        actor=manager,
        community=community,
        name=PROGRAMME,
        purpose="Experienced members guide people moving into data engineering, one "
        "fortnightly session at a time, for six months.",
        kind="mentoring",
        cadence_days=14,
        length_days=180,
        experience_options="career changer, first-generation, returning parent",
        guide="## Before your first session\n\n- Ask what **success in six months** looks "
        "like, and write it down as goals.\n- Agree how you'll keep in touch.\n- Log each "
        "session: the notes stay between the two of you.\n\n"
        "## Three kinds of programme\n\n- **Mentoring**: an experienced member guides a newer "
        "one (this programme).\n- **Peer coaching**: two colleagues trade skills, each both "
        "mentor and mentee.\n- **Onboarding buddies**: a newcomer gets a buddy with room and "
        "overlapping hours for their first 90 days, with a short checklist.",
    )
    for handle, (topics, capacity, tz, (start, end), langs, exp, pitch) in MENTORS.items():
        save_mentor_profile(
            actor=people[handle],
            programme=programme,
            topics=topics,
            capacity=capacity,
            timezone_name=tz,
            hours_from=start,
            hours_to=end,
            languages=langs,
            experiences=exp,
            pitch=pitch,
        )

    def ask(handle):
        goals, topics, tz, (start, end), langs, exp = MENTEES[handle]
        return save_mentee_request(
            actor=people[handle],
            programme=programme,
            goals=goals,
            topics=topics,
            timezone_name=tz,
            hours_from=start,
            hours_to=end,
            languages=langs,
            experiences=exp,
        )

    def match(handle) -> Pairing:
        request = ask(handle)
        proposal = next(
            p for p in run_matching(actor=manager, programme=programme) if p.mentee_id == request.pk
        )
        approve_proposal(actor=manager, pairing=proposal)
        respond(actor=proposal.mentor.user, pairing=proposal, accept=True, message="Glad to!")
        return respond(actor=people[handle], pairing=proposal, accept=True)

    today = timezone.localdate()

    def backdate(pairing: Pairing, days: int) -> Pairing:
        started = today - dt.timedelta(days=days)
        Pairing.objects.filter(pk=pairing.pk).update(
            started_on=started, ends_on=started + dt.timedelta(days=programme.length_days)
        )
        MenteeRequest.objects.filter(pk=pairing.mentee_id).update(
            created_at=timezone.now() - dt.timedelta(days=days + 6)
        )
        return Pairing.objects.select_related("mentor__user", "mentee__user").get(pk=pairing.pk)

    # Two active relationships with goals and sessions.
    lee = backdate(match("lee"), 35)
    goal = add_goal(
        actor=people["lee"],
        pairing=lee,
        title="Ship an Airflow DAG that loads the sales data nightly",
        why="It's the pipeline my team waits for every morning.",
        target_on=today + dt.timedelta(days=60),
    )
    update_goal(actor=people["lee"], goal=goal, progress=40, comment="DAG runs locally.")
    add_goal(actor=lee.mentor.user, pairing=lee, title="Write the runbook for on-call")
    for days, notes, actions in [
        (28, "Mapped the sources and the nightly window.", "Draft the DAG skeleton."),
        (14, "Walked through retries and idempotent loads.", "Add a retry policy."),
        (2, "Reviewed the first DAG run together.", "Write the alerting rule."),
    ]:
        log_session(
            actor=people["lee"],
            pairing=lee,
            held_on=today - dt.timedelta(days=days),
            minutes=45,
            topics="airflow, sql",
            notes=notes,
            action_items=actions,
        )
    plan_next_session(
        actor=people["lee"],
        pairing=lee,
        starts_at=timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=10),
    )
    olga = backdate(match("olga"), 20)
    goal = add_goal(actor=people["olga"], pairing=olga, title="Cover the billing job with tests")
    update_goal(actor=people["olga"], goal=goal, progress=25, comment="Fixtures in place.")
    log_session(
        actor=olga.mentor.user,
        pairing=olga,
        held_on=today - dt.timedelta(days=6),
        minutes=60,
        topics="pytest, fixtures",
        notes="Chose what to test first: the money paths.",
        action_items="Write three tests for refunds.",
    )
    # One gone quiet: no session for more than 1.5 x the cadence, so a nudge goes out.
    maya = backdate(match("maya"), 50)
    add_goal(actor=people["maya"], pairing=maya, title="Try two new retrospective formats")
    log_session(
        actor=people["maya"],
        pairing=maya,
        held_on=today - dt.timedelta(days=40),
        minutes=30,
        notes="Agreed on goals.",
    )
    nudge_quiet_pairs(today)
    # One closed with reflections from both.
    fatima = backdate(match("fatima"), 120)
    log_session(
        actor=people["fatima"],
        pairing=fatima,
        held_on=today - dt.timedelta(days=100),
        minutes=45,
        notes="SELECT, WHERE, GROUP BY on the interview tags.",
    )
    write_reflection(
        actor=people["fatima"],
        pairing=fatima,
        text="I now query our research repository myself instead of waiting for an analyst.",
        rating=5,
    )
    write_reflection(
        actor=fatima.mentor.user,
        pairing=fatima,
        text="Teaching SQL through someone else's real questions made me a better explainer.",
        rating=4,
    )
    # Proposals waiting for the manager's review.
    ask("tomas")
    ask("sam_staff")
    proposals = run_matching(actor=manager, programme=programme)
    _say(
        stdout,
        f"Mentoring: {programme.name} with 3 mentors, {len(proposals)} proposals to review, "
        "2 active relationships, 1 gone quiet and 1 closed.\n",
    )
    return programme
