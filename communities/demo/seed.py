"""Believable demo data for `manage.py seed_demo`; idempotent by natural keys.

Everything with invariants (memberships, roles, circles, meetings) is made through the
services, so the demo holds exactly what real use would produce.
"""

import datetime as dt

from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone

from communities.circles.models import Cadence, Circle, CircleKind, CircleMeeting
from communities.circles.services import circles as circle_services
from communities.circles.services import meetings, schedule
from communities.core.models.communities import Community, CommunityKind, Role, Stage, Visibility
from communities.core.models.people import User
from communities.core.services import communities as community_services
from communities.core.services import joining, membership
from communities.core.services.accounts import ensure_demo_user
from communities.core.services.profiles import tags_from_names
from communities.demo.discussions import seed_discussions
from communities.discussions.models.prompts import PromptKind, ScheduledPrompt
from communities.discussions.models.threads import Post
from communities.discussions.services import contributions
from communities.discussions.services.prompts import create_prompt
from communities.moderation.models import Flag, FlagReason
from communities.moderation.services.flags import flag_content

DEMO_PASSWORD = "trellis-demo-2026"  # noqa: S105 - printed for the local demo on purpose

PEOPLE = [
    # email, handle, name, staff, expertise, timezone, bio, motivation
    ("staff@trellis.test", "sam_staff", "Sam Okafor", True, ["facilitation", "kb-editing"],
     "Europe/London", "Runs the Trellis instance and edits the knowledge base.",
     "Make it easy for practitioners to learn from each other."),
    ("maya@trellis.test", "maya", "Maya Lindqvist", False, ["facilitation", "onboarding"],
     "Europe/Stockholm", "Community manager for the facilitation practice.",
     "Every newcomer gets a real answer within a day."),
    ("jon@trellis.test", "jon", "Jon Mensah", False, ["python", "data-engineering"],
     "Africa/Accra", "Data engineer learning to mentor.",
     "Share what I learned the hard way about pipelines."),
    ("lee@trellis.test", "lee", "Lee Park", False, ["ux-research"],
     "Asia/Seoul", "New to the field, asking lots of questions.",
     "Become a confident reviewer of my peers' work."),
    ("priya@trellis.test", "priya", "Priya Raman", False, ["retrospectives", "coaching"],
     "Asia/Kolkata", "Agile coach who has run a few hundred retrospectives.",
     "Help teams stop repeating the same mistakes."),
    ("tomas@trellis.test", "tomas", "Tomás Ferreira", False, ["workshop-design", "facilitation"],
     "Europe/Lisbon", "Designs workshops for public-sector teams.",
     "Make meetings something people look forward to."),
    ("amara@trellis.test", "amara", "Amara Nwosu", False, ["data-engineering", "sql"],
     "Africa/Lagos", "Analytics engineer moving into platform work.",
     "Lower the barrier for analysts who want to build pipelines."),
    ("kenji@trellis.test", "kenji", "Kenji Watanabe", False, ["python", "testing"],
     "Asia/Tokyo", "Backend developer who writes a lot of tests.",
     "Show that good tests make data work calmer."),
    ("fatima@trellis.test", "fatima", "Fatima Zahra", False, ["ux-research", "interviewing"],
     "Africa/Casablanca", "Researcher specialising in interviews with hard-to-reach users.",
     "Make research methods less mysterious for newcomers."),
    ("olga@trellis.test", "olga", "Olga Petrova", False, ["leadership", "coaching"],
     "Europe/Warsaw", "Engineering director, mentors new managers.",
     "A place where new leaders can say what they don't know."),
]  # fmt: skip

COMMUNITIES = [
    {
        "slug": "facilitation",
        "manager": "maya",
        "name": "Facilitation Practitioners",
        "purpose": "Practitioners who run workshops, retrospectives and meetings share what works, "
        "what went wrong, and the formats they keep coming back to.",
        "audience": "Anyone who facilitates groups, from first-timers to seasoned pros.",
        "guidelines": "1. **Share the context**: what group, what goal, what happened.\n"
        "2. Assume good intent; critique formats, not people.\n"
        "3. Credit the sources of the methods you share.",
        "kind": CommunityKind.PRACTICE,
        "visibility": Visibility.OPEN,
        "tags": ["facilitation", "retrospectives", "workshop-design"],
        "members": {"priya": Role.MODERATOR, "tomas": Role.CHAMPION, "lee": Role.MEMBER,
                    "jon": Role.MEMBER, "sam_staff": Role.MEMBER},
        "stages": [(Stage.COALESCING, "Ten regular members and a weekly rhythm of questions."),
                   (Stage.MATURING, "Members curate formats and welcome newcomers themselves.")],
    },
    {
        "slug": "data-engineering",
        "manager": "jon",
        "name": "Data Engineering Learners",
        "purpose": "Learn to build reliable data pipelines together: study groups, code reviews "
        "and honest post-mortems.",
        "audience": "Analysts and developers moving into data engineering.",
        "guidelines": "Post code as text, not screenshots. Say what you tried. Be patient with "
        "beginners: everyone was one.",
        "kind": CommunityKind.LEARNING,
        "visibility": Visibility.OPEN,
        "tags": ["data-engineering", "python", "sql"],
        "members": {"amara": Role.CHAMPION, "kenji": Role.MEMBER, "priya": Role.MEMBER,
                    "lee": Role.MEMBER},
        "stages": [(Stage.COALESCING, "First study group formed and meeting fortnightly.")],
    },
    {
        "slug": "ux-research-guild",
        "manager": "fatima",
        "name": "UX Research Guild",
        "purpose": "Researchers compare methods, review each other's interview guides and build a "
        "shared library of what we learned from users.",
        "audience": "Practising user researchers; managers of research teams.",
        "guidelines": "Never share participant data. Anonymise quotes. Ask before reusing "
        "someone's materials.",
        "kind": CommunityKind.PRACTICE,
        "visibility": Visibility.RESTRICTED,
        "tags": ["ux-research", "interviewing"],
        "members": {"lee": Role.MEMBER},
        "stages": [],
    },
    {
        "slug": "new-leaders",
        "manager": "olga",
        "name": "New Leaders' Room",
        "purpose": "A private room for first-time engineering managers to talk openly about the "
        "hard parts of the job.",
        "audience": "Engineering managers in their first two years.",
        "guidelines": "What is said here stays here. Speak from your own experience.",
        "kind": CommunityKind.PRACTICE,
        "visibility": Visibility.PRIVATE,
        "is_chatham_house": True,
        "tags": ["leadership", "coaching"],
        "members": {"maya": Role.MEMBER},
        "stages": [(Stage.COALESCING, "Founding members invited."),
                   (Stage.MATURING, "Monthly themes chosen by members."),
                   (Stage.STEWARDSHIP, "Stable membership; focus on keeping it safe and useful.")],
    },
]  # fmt: skip

CIRCLES = [
    {
        "community": "facilitation",
        "proposer": "maya",
        "name": "Retrospective Craft",
        "kind": CircleKind.LEARNING,
        "purpose": "Get better at running retrospectives that lead to change.",
        "learning_goals": "Try one new retro format each week and report back what happened.",
        "cadence": Cadence.WEEKLY,
        "weekday": 2,
        "time_of_day": dt.time(17, 0),
        "timezone_name": "Europe/Stockholm",
        "capacity": 6,
        "video_url": "https://meet.example.org/retrospective-craft",
        "members": ["priya", "tomas", "lee", "jon"],
        "past_meetings": 3,
    },
    {
        "community": "data-engineering",
        "proposer": "amara",
        "name": "Pipelines Out Loud",
        "kind": CircleKind.WORKING_OUT_LOUD,
        "purpose": "Work out loud on the pipelines we are building at work.",
        "learning_goals": "Ship one small improvement to a real pipeline between meetings.",
        "cadence": Cadence.FORTNIGHTLY,
        "weekday": 3,
        "time_of_day": dt.time(12, 30),
        "timezone_name": "Africa/Lagos",
        "capacity": 5,
        "members": ["kenji", "jon", "priya"],
        "past_meetings": 2,
    },
]

CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 28}


def seed_people() -> dict[str, User]:
    people = {}
    for email, handle, name, is_staff, expertise, tz, bio, motivation in PEOPLE:
        user = ensure_demo_user(
            email=email,
            username=handle,
            password=DEMO_PASSWORD,
            is_staff=is_staff,
            display_name=name,
            timezone=tz,
            bio=bio,
            motivation=motivation,
        )
        if not user.expertise.exists():
            user.expertise.set(tags_from_names(expertise))
        people[handle] = user
    return people


def seed_community(spec: dict, people: dict[str, User]) -> Community:
    existing = Community.objects.filter(slug=spec["slug"]).first()
    if existing:
        return existing
    manager = people[spec["manager"]]
    community = community_services.create_community(
        actor=manager,
        name=spec["name"],
        slug=spec["slug"],
        purpose=spec["purpose"],
        audience=spec["audience"],
        guidelines=spec["guidelines"],
        kind=spec["kind"],
        visibility=spec["visibility"],
        is_chatham_house=spec.get("is_chatham_house", False),
        tags=spec["tags"],
    )
    for handle, role in spec["members"].items():
        person = people[handle]
        if community.visibility == Visibility.OPEN:
            membership.join_open_community(
                user=person, community=community, agreed_to_guidelines=True
            )
        elif community.visibility == Visibility.RESTRICTED:
            request = joining.request_to_join(
                user=person,
                community=community,
                message="I run interviews every week and want to compare notes.",
                agreed_to_guidelines=True,
            )
            joining.approve_join_request(actor=manager, join_request=request, message="Welcome!")
        else:
            invitation = joining.invite_user(actor=manager, community=community, invitee=person)
            joining.accept_invitation(
                user=person,
                token=joining.signed_invitation(invitation),
                agreed_to_guidelines=True,
            )
        if role != Role.MEMBER:
            membership.change_role(actor=manager, community=community, member=person, role=role)
    for to_stage, reason in spec["stages"]:
        community_services.change_stage(
            actor=manager, community=community, to_stage=to_stage, reason=reason
        )
    return community


def seed_circle(spec: dict, people: dict[str, User]) -> Circle:
    community = Community.objects.get(slug=spec["community"])
    existing = Circle.objects.filter(community=community, name=spec["name"]).first()
    if existing:
        return existing
    fields = {k: v for k, v in spec.items() if k not in {"community", "proposer", "members"}}
    past = fields.pop("past_meetings")
    circle = circle_services.propose_circle(
        actor=people[spec["proposer"]], community=community, **fields
    )
    for handle in spec["members"]:
        circle_services.join_circle(user=people[handle], circle=circle)
    circle.refresh_from_db()
    # History: plan meetings ahead, then move the calendar back so the first ones lie in the
    # past; the rotation of roles is what it would have been.
    schedule.generate_meetings(circle=circle, horizon=past + 2)
    CircleMeeting.objects.filter(circle=circle).update(
        starts_at=F("starts_at") - dt.timedelta(days=CADENCE_DAYS[circle.cadence] * past)
    )
    schedule.generate_meetings(circle=circle)
    for meeting in CircleMeeting.objects.filter(circle=circle).order_by("sequence")[:past]:
        seed_past_meeting(meeting)
    return circle


def seed_past_meeting(meeting: CircleMeeting) -> None:
    members = list(
        User.objects.filter(
            circle_memberships__circle=meeting.circle, circle_memberships__status="active"
        )
    )
    for person in members:
        meetings.mark_attendance(user=person, meeting=meeting, attended=True)
        meetings.set_commitment(
            user=person,
            meeting=meeting,
            text=f"Try one idea from meeting {meeting.sequence} and bring back what happened.",
        )
    if meeting.note_taker_id:
        meetings.save_meeting_notes(
            actor=meeting.note_taker,
            meeting=meeting,
            notes="We compared what we tried since last time. Two formats worked, one fell flat "
            "because the group was too large; next time we split into pairs first.",
        )
    for person in members[:2]:
        meetings.leave_reflection(
            user=person,
            meeting=meeting,
            reflection="Useful: hearing how others adapted the format to remote teams.",
            rating=4,
        )


# The demo's people have been around for months: the limits for new members don't apply.
ESTABLISHED_MEMBERS = {"TRELLIS_NEW_MEMBER_DAYS": 0, "TRELLIS_NEW_MEMBER_POSTS": 0}


@override_settings(**ESTABLISHED_MEMBERS)
def seed() -> list[User]:
    people = seed_people()
    for spec in COMMUNITIES:
        seed_community(spec, people)
    for spec in CIRCLES:
        seed_circle(spec, people)
    seed_discussions(
        community=Community.objects.get(slug="facilitation"),
        members=[people["lee"], people["tomas"], people["jon"], people["maya"]],
        moderator=people["priya"],
    )
    seed_moderation_and_prompts(people)
    # The demo people are new accounts; staff have looked at what they started.
    staff = next(person for person in people.values() if person.is_staff)
    for community in Community.objects.filter(is_held_for_review=True):
        community_services.approve_held_community(actor=staff, community=community)
    for circle in Circle.objects.filter(is_held_for_review=True).select_related("community"):
        circle_services.approve_held_circle(actor=staff, circle=circle)
    # What the nightly job does, up to now (nothing else writes while the demo is seeded):
    # the community pages read their rising stars from these rows.
    contributions.roll_up(
        community_ids=list(Community.objects.order_by("pk").values_list("pk", flat=True)),
        full=True,
        settle=dt.timedelta(0),
    )
    return list(people.values())


def seed_moderation_and_prompts(people: dict[str, User]) -> None:
    """A scheduled prompt and a few open flags for the moderators' queue."""
    community = Community.objects.get(slug="facilitation")
    if not ScheduledPrompt.objects.filter(community=community).exists():
        create_prompt(
            author=people["maya"],
            community=community,
            kind=PromptKind.REFLECTIVE,
            title="What is one format you stopped using, and why?",
            body="Tell us about a facilitation format you retired. What made you stop, and "
            "what do you use instead?",
            tag_names=["facilitation"],
            publish_at=timezone.now() + dt.timedelta(days=2),
        )
    if Flag.objects.filter(community=community).exists():
        return
    posts = list(
        Post.objects.filter(thread__community=community, is_hidden=False)
        .exclude(author=people["lee"])
        .order_by("created_at")[:2]
    )
    for post, reason, note in zip(
        posts,
        [FlagReason.OFF_TOPIC, FlagReason.MISINFORMATION],
        ["This drifts away from the question.", "I think this method is attributed wrongly."],
        strict=False,
    ):
        flag_content(flagger=people["lee"], thread=post.thread, post=post, reason=reason, note=note)
