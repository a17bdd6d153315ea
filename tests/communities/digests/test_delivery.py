"""Who is skipped, and why every member gets exactly one digest per period."""

import datetime
from email.utils import parseaddr

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.digests import schedule, selectors
from communities.digests.models import DeliveryStatus, DigestDelivery, DigestSettings
from communities.digests.tasks import send_digest_batch, send_due_digests
from communities.models import User
from tests.communities.digests.factories import later, send_batch
from tests.communities.factories import (
    UserFactory,
    add_member,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_community():
    community = new_community()
    author = add_member(community)
    thread = make_thread(author=author, community=community, kind="discussion", title="News")
    make_reply(author=add_member(community), thread=thread)
    return community


def skip_reason(member):
    return DigestDelivery.objects.get(member=member).skip_reason


@pytest.mark.parametrize(
    ("story", "reason"),
    [
        ("inactive", "inactive"),
        ("unconfirmed", "unconfirmed"),
        ("bouncing", "bouncing"),
        ("visited", "visited"),
    ],
)
def test_skipped_members_get_nothing_and_the_reason_is_kept(
    busy_community, mailoutbox, story, reason
):
    member = add_member(busy_community, UserFactory(verified=story != "unconfirmed"))
    if story == "inactive":
        User.objects.filter(pk=member.pk).update(is_active=False)
    if story == "bouncing":
        DigestSettings.objects.create(user=member, is_bouncing=True)
    if story == "visited":
        User.objects.filter(pk=member.pk).update(last_login=timezone.now())
    result = send_batch("weekly", [member])
    assert mailoutbox == []
    assert result.sent == 0
    assert skip_reason(member) == reason


def test_an_empty_digest_is_skipped(mailoutbox):
    member = add_member(new_community())
    send_batch("weekly", [member])
    assert mailoutbox == []
    assert skip_reason(member) == "empty"


def test_visiting_may_be_allowed_by_setting(busy_community, mailoutbox, settings):
    settings.TRELLIS_DIGESTS_SKIP_IF_VISITED = False
    member = add_member(busy_community)
    User.objects.filter(pk=member.pk).update(last_login=timezone.now())
    send_batch("weekly", [member])
    assert len(mailoutbox) == 1


def test_each_member_gets_one_digest_however_often_the_batch_runs(busy_community, mailoutbox):
    members = [add_member(busy_community) for _ in range(3)]
    first = send_batch("weekly", members, token="run-1")
    second = send_batch("weekly", members, token="run-2")  # a second enqueue or worker
    assert (first.sent, second.sent, second.elsewhere) == (3, 0, 3)
    # Compare parsed addresses: a name with a full stop is quoted in the header.
    assert sorted(parseaddr(m.to[0])[1] for m in mailoutbox) == sorted(m.email for m in members)
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_the_beat_job_queues_due_members_once_and_a_second_run_sends_nothing(
    busy_community, mailoutbox
):
    members = [add_member(busy_community) for _ in range(3)]
    User.objects.filter(pk__in=[m.pk for m in members]).update(digest_frequency="daily")
    User.objects.exclude(pk__in=[m.pk for m in members]).update(digest_frequency="never")
    assert send_due_digests(force=True) == 1
    assert send_due_digests(force=True) == 0  # nobody is due any more
    assert len(mailoutbox) == 3
    assert {m.to[0].split("<")[1].rstrip(">") for m in mailoutbox} == {m.email for m in members}


def test_a_retry_of_the_same_task_resumes_its_own_claims(busy_community, mailoutbox):
    """A worker died after claiming: its redelivered task (same id) sends what is left."""
    members = [add_member(busy_community) for _ in range(3)]
    DigestDelivery.objects.bulk_create(
        DigestDelivery(
            member=m, kind="weekly", period="2026-11-28", status="claimed", claim_token="t1"
        )
        for m in members
    )
    DigestDelivery.objects.filter(member=members[0]).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )
    assert send_batch("weekly", members, token="someone-else").sent == 0  # live claims
    assert send_batch("weekly", members, token="t1").sent == 2
    assert len(mailoutbox) == 2


def test_the_next_run_takes_over_claims_of_a_worker_dead_for_longer_than_the_lease(
    busy_community, mailoutbox, settings
):
    member = add_member(busy_community)
    DigestDelivery.objects.create(
        member=member,
        kind="weekly",
        period="2026-11-28",
        status="claimed",
        claim_token="dead",
        claimed_at=timezone.now()
        - datetime.timedelta(seconds=settings.TRELLIS_DIGESTS_CLAIM_LEASE_SECONDS + 5),
    )
    assert schedule.due_digest_members(kind="weekly", now=later(), force=True)
    assert send_batch("weekly", [member], token="next-run").sent == 1
    assert len(mailoutbox) == 1


def test_weekly_members_are_due_on_their_weekday_in_their_timezone(settings):
    settings.TRELLIS_DIGESTS_SEND_HOUR = 7
    monday = UserFactory(timezone="Europe/Berlin")
    friday = UserFactory(timezone="Europe/Berlin")
    DigestSettings.objects.create(user=friday, weekday=4)
    # Wednesday 2026-11-25, 08:30 in Berlin (07:30 UTC).
    now = datetime.datetime(2026, 11, 25, 7, 30, tzinfo=datetime.UTC)
    due = schedule.due_digest_members(kind="weekly", now=now)
    assert due == {"2026-W48": [monday.pk]}
    tokyo = UserFactory(timezone="Asia/Tokyo", digest_frequency="daily")
    # 16:30 in Tokyo: their daily digest of the 25th is due; nobody else gets a daily one.
    due = schedule.due_digest_members(kind="daily", now=now)
    assert due == {"2026-11-25": [tokyo.pk]}


def reads_and_sends(community, size):
    members = [add_member(community) for _ in range(size)]
    ids = [m.pk for m in members]
    with CaptureQueriesContext(connection) as reads:
        digests = selectors.digest_batch(kind="weekly", member_ids=ids, now=later())
    assert all(not d.skip_reason for d in digests)
    with CaptureQueriesContext(connection) as batch:
        send_digest_batch.delay("weekly", f"p{size}", ids)
    return len(reads), len(batch)


def test_a_batch_reads_the_same_number_of_queries_at_10_and_100_members(mailoutbox):
    small_community, large_community = new_community(), new_community()
    for community in (small_community, large_community):
        for n in range(3):
            author = add_member(community)
            thread = make_thread(
                author=author, community=community, title=f"Question {n}", tag_names=["t"]
            )
            make_reply(author=add_member(community), thread=thread)
    reads_10, batch_10 = reads_and_sends(small_community, 10)
    reads_100, batch_100 = reads_and_sends(large_community, 100)
    assert reads_10 == reads_100
    # Reading and claiming are fixed; each email adds exactly the UPDATE recording it as
    # sent, written after the SMTP server took it so a killed worker repeats at most one.
    assert batch_100 - 100 == batch_10 - 10
    assert len(mailoutbox) == 110


def test_send_digests_now_sends_every_due_digest_once(busy_community, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    member = add_member(busy_community)
    User.objects.exclude(pk=member.pk).update(digest_frequency="never")
    out = StringIO()
    call_command("send_digests", "--now", stdout=out)
    call_command("send_digests", "--now", stdout=out)
    assert "1 batch of digests started" in out.getvalue()
    assert [m.subject.startswith("Your week on Trellis") for m in mailoutbox] == [True]
