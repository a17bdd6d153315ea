"""The thread row's counters (replies, answers, votes) always equal a fresh count of the
visible replies: after replies, votes, hides and restores (by hand and by flags), deletes;
hidden replies are counted for nobody; the list's filters and sorts read them."""

import re
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from communities.core.errors import StateError
from communities.discussions.services import counters
from communities.discussions.services.votes import unvote, vote
from communities.models import Post, Thread
from communities.moderation.services.actions import hide_content, restore_content
from tests.communities.factories import flag, make_reply, make_seasoned, make_thread

pytestmark = pytest.mark.django_db


def stored(thread) -> tuple[int, int, int]:
    row = Thread.objects.values_list("reply_count", "answer_count", "total_votes").get(pk=thread.pk)
    return tuple(row)


def assert_fresh(thread, expected: tuple[int, int, int]) -> None:
    assert stored(thread) == expected
    assert counters.drift([thread.pk]) == []


def test_counters_follow_replies_votes_hides_restores_and_deletes(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    assert_fresh(thread, (0, 0, 0))
    answer = make_reply(author=cast.other_member, thread=thread, body="An answer.")
    nested = make_reply(author=cast.member, thread=thread, body="Thanks!", parent=answer)
    other = make_reply(author=cast.champion, thread=thread, body="Another answer.")
    assert_fresh(thread, (3, 2, 0))

    vote(voter=cast.member, post=answer)
    vote(voter=cast.champion, post=answer)
    vote(voter=cast.other_member, post=other)
    vote(voter=cast.other_member, post=other)  # twice counts once
    assert_fresh(thread, (3, 2, 3))
    unvote(voter=cast.champion, post=answer)
    unvote(voter=cast.champion, post=answer)  # nothing left to take back
    assert_fresh(thread, (3, 2, 2))

    hide_content(actor=cast.moderator, thread=thread, post=answer, reason="Off topic.")
    assert_fresh(thread, (2, 1, 1))  # its vote leaves with it; its nested reply stays
    hide_content(actor=cast.moderator, thread=thread, post=answer, reason="Again.")
    assert_fresh(thread, (2, 1, 1))  # hiding twice changes nothing
    restore_content(actor=cast.moderator, thread=thread, post=answer, reason="It was fine.")
    assert_fresh(thread, (3, 2, 2))

    Post.objects.get(pk=nested.pk).delete()
    assert_fresh(thread, (2, 2, 2))
    Post.objects.get(pk=answer.pk).delete()
    assert_fresh(thread, (1, 1, 1))
    hide_content(actor=cast.moderator, thread=thread, post=other, reason="Spam.")
    Post.objects.get(pk=other.pk).delete()  # a hidden reply was not counted
    assert_fresh(thread, (0, 0, 0))


def test_hiding_the_thread_keeps_its_counts_and_deleting_it_is_clean(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=thread)
    make_reply(author=cast.member, thread=thread, parent=answer)
    hide_content(actor=cast.moderator, thread=thread, reason="Spam.")
    assert_fresh(thread, (2, 1, 0))
    thread.delete()
    assert not Thread.objects.filter(pk=thread.pk).exists()


def test_flags_that_hide_a_reply_uncount_it(cast, settings):
    settings.TRELLIS_NEW_MEMBER_POSTS = 0
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread, body="Buy cheap watches now")
    vote(voter=cast.member, post=post)
    make_seasoned(cast.member, cast.community)
    flag(cast.member, thread, post, reason="spam")
    assert_fresh(thread, (1, 1, 1))
    flag(cast.manager, thread, post, reason="spam")  # a manager's weight hides it
    assert Post.objects.get(pk=post.pk).is_hidden
    assert_fresh(thread, (0, 0, 0))


def test_a_vote_on_a_hidden_reply_is_refused_and_counts_nothing(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread)
    vote(voter=cast.member, post=post)
    hide_content(actor=cast.moderator, thread=thread, post=post, reason="Spam.")
    with pytest.raises(StateError, match="hidden by the moderators"):
        vote(voter=cast.champion, post=post)
    with pytest.raises(StateError, match="hidden by the moderators"):
        unvote(voter=cast.member, post=post)
    with pytest.raises(ValidationError, match="your own reply"):
        vote(voter=cast.other_member, post=make_reply(author=cast.other_member, thread=thread))
    assert_fresh(thread, (1, 1, 0))


def _row_counts(client, cast, user) -> str:
    if user is not None:
        client.force_login(user)
    html = client.get(f"/c/{cast.community.slug}/t/").content.decode()
    return " ".join(re.findall(r'aria-label="(\d+ replies, \d+ votes)"', html))


@pytest.mark.parametrize("role", ["anonymous", "member", "moderator", "staff"])
def test_hidden_replies_are_counted_for_nobody(client, cast, role):
    thread = make_thread(author=cast.member, community=cast.community)
    shown = make_reply(author=cast.other_member, thread=thread)
    hidden = make_reply(author=cast.champion, thread=thread)
    vote(voter=cast.member, post=shown)
    vote(voter=cast.member, post=hidden)
    hide_content(actor=cast.moderator, thread=thread, post=hidden, reason="Spam.")
    assert _row_counts(client, cast, cast[role]) == "1 replies, 1 votes"


def test_status_filters_and_the_votes_sort_read_the_counters(client, cast):
    answered = make_thread(author=cast.member, community=cast.community, title="Answered one")
    waiting = make_thread(author=cast.member, community=cast.community, title="Waiting one")
    only_hidden = make_thread(author=cast.member, community=cast.community, title="Hidden one")
    post = make_reply(author=cast.other_member, thread=answered)
    vote(voter=cast.member, post=post)
    spam = make_reply(author=cast.other_member, thread=only_hidden)
    hide_content(actor=cast.moderator, thread=only_hidden, post=spam, reason="Spam.")
    client.force_login(cast.member)
    url = f"/c/{cast.community.slug}/t/"

    def titles(query: str) -> list[str]:
        html = client.get(url + query).content.decode()
        return re.findall(r"(Answered|Waiting|Hidden) one", html)

    assert titles("?status=unanswered") == ["Hidden", "Waiting"]
    assert titles("?status=answered") == ["Answered"]
    assert titles("?sort=votes")[0] == "Answered"
    assert set(titles("?sort=votes")) == {"Answered", "Waiting", "Hidden"}
    assert waiting.pk


def test_recount_reports_and_repairs_drift(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread)
    vote(voter=cast.member, post=post)
    Thread.objects.filter(pk=thread.pk).update(reply_count=7, total_votes=0)  # as a bulk import
    out = StringIO()
    call_command("recount_threads", stdout=out)
    assert f"thread {thread.pk}: replies 7 (fresh 1)" in out.getvalue()
    assert "1 thread(s) with drifting counters found." in out.getvalue()
    assert stored(thread) == (7, 1, 0)  # a report changes nothing
    out = StringIO()
    call_command("recount_threads", "--fix", stdout=out)
    assert "1 thread(s) with drifting counters corrected." in out.getvalue()
    assert_fresh(thread, (1, 1, 1))
    out = StringIO()
    call_command("recount_threads", stdout=out)
    assert out.getvalue().strip() == "0 thread(s) with drifting counters found."


def test_the_migration_fills_the_counters_of_existing_threads(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=thread)
    make_reply(author=cast.member, thread=thread, parent=answer)
    hidden = make_reply(author=cast.champion, thread=thread)
    vote(voter=cast.member, post=answer)
    hide_content(actor=cast.moderator, thread=thread, post=hidden, reason="Spam.")
    Thread.objects.update(reply_count=0, answer_count=0, total_votes=0)  # before the migration
    # Found by its name, whatever number the migration ends up with.
    name = next(
        path.stem
        for path in (Path(settings.BASE_DIR) / "communities" / "migrations").glob("*.py")
        if path.stem.endswith("_listspeed_counters_and_list_indexes")
    )
    import_module(f"communities.migrations.{name}").fill_counters(apps, None)
    assert_fresh(thread, (2, 1, 1))
