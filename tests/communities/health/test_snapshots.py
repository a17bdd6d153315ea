"""The daily snapshot: what it counts, that it can be taken twice and for a past day, and
that a batch costs the same number of queries however big it is."""

import datetime as dt

import pytest
from django.utils import timezone

from communities.core.services.membership import change_role, leave_community
from communities.discussions.services.threads import accept_answer
from communities.discussions.services.votes import thank, vote
from communities.health.metrics import burstiness
from communities.health.network import ANONYMOUS
from communities.health.services import take_snapshots
from communities.health.tasks import snapshot_all_communities
from communities.models import (
    CircleMeeting,
    HealthSnapshot,
    MeetingParticipation,
    Membership,
    Thread,
    Vote,
)
from communities.public import Role
from tests.communities.factories import (
    add_member,
    make_reply,
    make_thread,
    manager_of,
    new_community,
)
from tests.communities.health.factories import backdate, backdate_membership, circle_of

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


def ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


@pytest.fixture
def story():
    """A week in a small community: questions answered by a manager and a member, an
    anonymous question, one left waiting, a circle thread, a reader who only votes."""
    community = new_community()
    people = {"manager": Membership.objects.get(community=community).user}
    for name in "abcde":
        people[name] = add_member(community)
    people["moderator"] = add_member(community, role=Role.MODERATOR)
    a, b, c, d, e, manager = (people[k] for k in ("a", "b", "c", "d", "e", "manager"))

    q1 = make_thread(author=a, community=community, title="How do I open a retro?")
    backdate(q1, ago(days=3))
    backdate(make_reply(author=manager, thread=q1), ago(days=3) + dt.timedelta(hours=1))
    backdate(make_reply(author=b, thread=q1), ago(days=3) + dt.timedelta(hours=2))

    q2 = make_thread(author=c, community=community, title="Awkward silence?", is_anonymous=True)
    backdate(q2, ago(days=2))
    answer = make_reply(author=b, thread=q2)
    backdate(answer, ago(days=2) + dt.timedelta(hours=3))
    Thread.objects.filter(pk=q2.pk).update(accepted_answer=answer)

    backdate(make_thread(author=d, community=community, title="Nobody answers me"), ago(days=2))
    backdate(
        make_thread(author=manager, community=community, kind="discussion", title="Hello"),
        ago(hours=1),
    )
    backdate(make_thread(author=e, community=community, title="Long ago"), ago(days=40))

    circle = circle_of(community, a, b)
    circle_thread = make_thread(
        author=a, community=community, circle=circle, kind="discussion", title="Secret plans"
    )
    backdate(circle_thread, ago(days=1))
    backdate(make_reply(author=b, thread=circle_thread), ago(hours=20))
    meeting = CircleMeeting.objects.create(circle=circle, sequence=1, starts_at=ago(days=2))
    MeetingParticipation.objects.create(meeting=meeting, user=a, attended=True)

    Vote.objects.create(post=answer, user=e)
    return community, people


def test_snapshot_counts_a_week_of_activity(story):
    community, people = story
    assert take_snapshots(community_ids=[community.pk], day=today()) == 1
    snap = HealthSnapshot.objects.get(community=community, taken_on=today())
    assert (snap.members, snap.new_members, snap.members_left) == (7, 7, 0)
    assert (snap.threads_week, snap.replies_week) == (5, 4)
    # a, b, c, d and the manager wrote; e only voted.
    assert (snap.active_members, snap.lurkers, snap.contributors, snap.creators) == (6, 1, 5, 0)
    assert (snap.questions_asked, snap.questions_answered, snap.questions_accepted) == (3, 2, 1)
    # First answers after 1 h (by the manager) and 3 h (by a member): the median is 2 h.
    assert snap.median_first_answer_hours == 2.0
    assert snap.answered_by_members_share == 0.5
    assert snap.unanswered_24h == 1
    assert snap.leader_post_share == pytest.approx(2 / 9, abs=0.001)
    assert snap.circle_attendance == 1
    network = snap.network
    assert network["answers"] == 4
    connector_ids = [member for member, _ in network["connectors"]]
    assert people["b"].pk in connector_ids
    # c only asked anonymously: named as isolated, c would be known as the asker.
    assert sorted(network["isolated"]) == sorted([people["d"].pk, people["e"].pk])


def test_anonymous_asker_is_never_a_node(story):
    community, people = story
    take_snapshots(community_ids=[community.pk], day=today())
    network = HealthSnapshot.objects.get(community=community).network
    named = [m for m, _ in network["connectors"]]
    assert ANONYMOUS not in named
    assert ANONYMOUS not in network["isolated"]
    # The anonymous asker's account is not linked to the help they got, nor named isolated.
    assert people["c"].pk not in named
    assert people["c"].pk not in network["isolated"]


def test_taking_it_twice_keeps_one_row_with_the_same_numbers(story):
    community, _ = story
    take_snapshots(community_ids=[community.pk], day=today())
    first = HealthSnapshot.objects.values().get(community=community)
    take_snapshots(community_ids=[community.pk], day=today())
    again = HealthSnapshot.objects.values().get(community=community)
    first.pop("computed_at"), again.pop("computed_at")
    assert first == again


def test_a_past_day_counts_only_what_happened_by_then(story):
    community, _ = story
    past = today() - dt.timedelta(days=5)
    take_snapshots(community_ids=[community.pk], day=past)
    snap = HealthSnapshot.objects.get(community=community, taken_on=past)
    assert (snap.members, snap.threads_week, snap.questions_asked) == (0, 0, 0)
    assert snap.active_members == 0  # the thread from 40 days ago is outside its window


def test_members_who_left_after_the_day_still_counted_then(story):
    community, people = story
    Membership.objects.filter(community=community, user=people["e"]).update(
        status="left", joined_at=ago(days=10)
    )
    take_snapshots(community_ids=[community.pk], day=today())
    snap = HealthSnapshot.objects.get(community=community, taken_on=today())
    assert (snap.members, snap.members_left) == (6, 1)
    yesterday = today() - dt.timedelta(days=1)
    take_snapshots(community_ids=[community.pk], day=yesterday)
    # Only e had joined by then, and e left after it.
    assert HealthSnapshot.objects.get(community=community, taken_on=yesterday).members == 1


def test_chaoss_new_and_inactive_contributors_and_burstiness(story):
    community, people = story
    # b had written before the 30 days too, so b is not new.
    old = make_thread(author=people["b"], community=community, title="Years ago")
    backdate(old, ago(days=45))
    take_snapshots(community_ids=[community.pk], day=today())
    snap = HealthSnapshot.objects.get(community=community, taken_on=today())
    # First contributions in the 30 days: a, c (anonymously), d and the manager.
    assert snap.new_contributors == 4
    # e wrote 40 days ago and nothing since.
    assert snap.inactive_contributors == 1
    # Ten posts on three or four of the 30 days: bursty, between 0 and 1.
    assert 0 < snap.burstiness < 1
    yesterday = today() - dt.timedelta(days=60)
    take_snapshots(community_ids=[community.pk], day=yesterday)
    quiet = HealthSnapshot.objects.get(community=community, taken_on=yesterday)
    assert (quiet.new_contributors, quiet.inactive_contributors, quiet.burstiness) == (0, 0, None)


def test_burstiness_of_the_snapshot_is_that_of_its_daily_posts():
    community = new_community()
    author = manager_of(community)
    for days in (1, 1, 1, 10):
        backdate(make_thread(author=author, community=community, title="Hi"), ago(days=days))
    take_snapshots(community_ids=[community.pk], day=today())
    snap = HealthSnapshot.objects.get(community=community)
    # The day index of each post in the window doesn't matter, only how they bunch.
    assert snap.burstiness == burstiness([3, 1] + [0] * 28)


def test_recomputing_a_past_day_after_later_activity_gives_the_same_figures(story):
    """A snapshot of yesterday taken today, after people joined, left, were appointed,
    accepted answers, wrote, voted and thanked, has yesterday's figures."""
    community, people = story
    for membership in Membership.objects.filter(community=community):
        backdate_membership(membership, ago(days=20))
    yesterday = today() - dt.timedelta(days=1)
    take_snapshots(community_ids=[community.pk], day=yesterday)
    before = HealthSnapshot.objects.values().get(community=community, taken_on=yesterday)
    assert before["members"] == 7
    assert before["active_members"] > 0

    manager = people["manager"]
    q1 = Thread.objects.get(title="How do I open a retro?")
    newcomer = add_member(community)
    leave_community(user=people["d"], community=community)
    change_role(actor=manager, community=community, member=people["a"], role=Role.MODERATOR)
    accept_answer(actor=people["a"], thread=q1, post=q1.posts.get(author=people["b"]))
    late = make_thread(author=newcomer, community=community, title="A late question")
    answer = make_reply(author=people["e"], thread=late)
    make_reply(author=people["b"], thread=Thread.objects.get(title="Nobody answers me"))
    vote(voter=people["c"], post=answer)
    thank(user=newcomer, post=answer)

    take_snapshots(community_ids=[community.pk], day=yesterday)
    after = HealthSnapshot.objects.values().get(community=community, taken_on=yesterday)
    before.pop("computed_at"), after.pop("computed_at")
    assert after == before
    # Today's snapshot does see the changes.
    take_snapshots(community_ids=[community.pk], day=today())
    now = HealthSnapshot.objects.get(community=community, taken_on=today())
    assert (now.members, now.members_left, now.questions_accepted) == (7, 1, 2)


def build_communities(count: int, posts_each: int) -> list[int]:
    """Communities with questions, replies, an accepted answer, a vote, an appointment and
    a member who left, so every read of the batch has rows."""
    ids = []
    for _ in range(count):
        community = new_community()
        asker, helper = add_member(community), add_member(community)
        leaver = add_member(community, role=Role.MODERATOR)
        for n in range(posts_each):
            thread = make_thread(author=asker, community=community, title=f"Question {n}")
            reply = make_reply(author=helper, thread=thread)
            vote(voter=leaver, post=reply)
        accept_answer(actor=asker, thread=thread, post=reply)
        leave_community(user=leaver, community=community)
        ids.append(community.pk)
    return ids


# 11 reads, the upsert, 3 reads for the stage engine, and the savepoint pair the test's own
# transaction turns the job's transaction into.
BATCH_QUERIES = 17


@pytest.mark.parametrize(("communities", "posts_each"), [(2, 1), (6, 4)])
def test_queries_per_batch_do_not_grow(communities, posts_each, django_assert_num_queries):
    ids = build_communities(communities, posts_each)
    with django_assert_num_queries(BATCH_QUERIES):
        take_snapshots(community_ids=ids, day=today())
    assert HealthSnapshot.objects.filter(community_id__in=ids).count() == communities


def test_the_daily_job_covers_every_community_in_batches(settings):
    settings.TRELLIS_HEALTH_BATCH_SIZE = 2
    ids = build_communities(3, 1)
    day = today() - dt.timedelta(days=1)
    assert snapshot_all_communities(day.isoformat()) == 2
    taken = HealthSnapshot.objects.filter(taken_on=day).values_list("community_id", flat=True)
    assert set(taken) == set(ids)
    snapshot_all_communities(day.isoformat())  # a second run changes nothing
    assert HealthSnapshot.objects.filter(taken_on=day).count() == 3


def test_the_beat_takes_yesterdays_snapshots_every_night():
    from config.celery import app

    entry = app.conf.beat_schedule["take-daily-health-snapshots"]
    assert entry["task"] == snapshot_all_communities.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {20})
