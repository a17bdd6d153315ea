"""The rising stars read from the daily roll-up: the same people and counts as counting every
post, whether the posts were rolled up or came after the last run, and a constant number of
queries for the page and the job."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.core.models.communities import Role
from communities.core.services.membership import ban_member, leave_community
from communities.discussions.selectors.badges import rising_stars
from communities.discussions.services import contributions
from communities.discussions.tasks import roll_up_all_contributions
from communities.models import ContributionRollup, DailyContribution, Post, Thread
from communities.moderation.services import actions
from tests.communities.factories import (
    CommunityFactory,
    flag,
    make_circle_of,
    make_member,
    make_reply,
    make_thread,
)

# "rolled": the posts are two days old and the job has run since; "live": the job ran
# before the posts were written, so the page counts them itself.
WHEN = ["rolled", "live"]


def _age(items, days: int) -> None:
    for item in items:
        type(item).objects.filter(pk=item.pk).update(
            created_at=timezone.now() - timedelta(days=days)
        )


def _roll(community) -> None:
    contributions.roll_up(community_ids=[community.pk], full=True)


class Story:
    """Writes posts the way `when` says, then reads the stars."""

    def __init__(self, cast, when: str):
        self.cast, self.when, self.written = cast, when, []
        if when == "live":
            _roll(cast.community)

    def thread(self, **kwargs):
        thread = make_thread(community=self.cast.community, **kwargs)
        self.written.append(thread)
        return thread

    def reply(self, **kwargs):
        post = make_reply(**kwargs)
        self.written.append(post)
        return post

    def stars(self, viewer=None) -> dict:
        if self.when == "rolled":
            _age(self.written, days=2)
            _roll(self.cast.community)
            self.written = []
        found = rising_stars(viewer=viewer or self.cast.outsider, community=self.cast.community)
        return {star.user: (star.questions, star.answers) for star in found}


@pytest.fixture(params=WHEN)
def story(request, cast):
    return Story(cast, request.param)


def test_questions_and_answers_both_count(story, cast):
    question = story.thread(author=cast.member)
    story.reply(author=cast.other_member, thread=question)
    story.reply(author=cast.member, thread=question, body="Thanks, that helped.")
    assert story.stars() == {cast.member: (1, 1), cast.other_member: (0, 1)}


def test_an_anonymous_question_never_counts_for_its_asker(story, cast):
    question = story.thread(author=cast.member, is_anonymous=True)
    story.reply(author=cast.other_member, thread=question)
    assert story.stars() == {cast.other_member: (0, 1)}


def test_the_askers_reply_in_their_own_anonymous_question_never_counts(story, cast):
    question = story.thread(author=cast.member, is_anonymous=True)
    story.reply(author=cast.member, thread=question, body="Adding some detail.")
    assert story.stars() == {}


def test_a_hidden_post_never_counts(story, cast):
    question = story.thread(author=cast.member)
    post = story.reply(author=cast.other_member, thread=question)
    Post.objects.filter(pk=post.pk).update(is_hidden=True)
    assert story.stars() == {cast.member: (1, 0)}


def test_a_hidden_thread_counts_for_nobody(story, cast):
    question = story.thread(author=cast.member)
    story.reply(author=cast.other_member, thread=question)
    Thread.objects.filter(pk=question.pk).update(is_hidden=True)
    assert story.stars() == {}


def test_circle_threads_never_count(story, cast):
    circle = make_circle_of(cast.community, cast.member, cast.other_member, name="Quiet")
    question = story.thread(author=cast.member, circle=circle)
    story.reply(author=cast.other_member, thread=question)
    assert story.stars() == {}


def test_a_member_who_left_no_longer_shows(story, cast):
    question = story.thread(author=cast.member)
    story.reply(author=cast.other_member, thread=question)
    story.stars()  # rolled up while both were members
    leave_community(user=cast.other_member, community=cast.community)
    assert story.stars() == {cast.member: (1, 0)}


def test_a_banned_member_no_longer_shows(story, cast):
    question = story.thread(author=cast.member)
    story.reply(author=cast.other_member, thread=question)
    story.stars()
    ban_member(actor=cast.manager, community=cast.community, member=cast.member, reason="Spam.")
    assert story.stars() == {cast.other_member: (0, 1)}


def test_posts_older_than_the_window_never_count(cast):
    question = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=question)
    _age([question, answer], days=31)
    _roll(cast.community)
    assert DailyContribution.objects.count() == 0
    assert rising_stars(viewer=cast.outsider, community=cast.community) == []
    _age([answer], days=29)
    _roll(cast.community)
    assert [
        (s.user, s.answers) for s in rising_stars(viewer=cast.outsider, community=cast.community)
    ] == [(cast.other_member, 1)]


def test_rows_past_the_window_are_dropped(cast):
    question = make_thread(author=cast.member, community=cast.community)
    _age([question], days=3)
    _roll(cast.community)
    DailyContribution.objects.update(day=timezone.now().date() - timedelta(days=40))
    contributions.roll_up(community_ids=[cast.community.pk])
    assert not DailyContribution.objects.filter(day__lt=timezone.now().date() - timedelta(days=31))


def test_rolled_up_days_and_live_posts_add_up(cast):
    question = make_thread(author=cast.member, community=cast.community)
    _age([question], days=2)
    _roll(cast.community)
    make_reply(author=cast.member, thread=question, body="An update from today.")
    stars = rising_stars(viewer=cast.outsider, community=cast.community)
    assert [(s.user, s.questions, s.answers) for s in stars] == [(cast.member, 1, 1)]


def test_live_posts_lift_a_member_past_the_rolled_up_leaders(cast):
    """The page reads only the best rolled-up members and those with live posts: one with
    few rolled-up posts still reaches the top when today's posts add up."""
    question = make_thread(author=cast.manager, community=cast.community)
    leaders = [make_member(cast.community) for _ in range(6)]
    late = make_member(cast.community)
    old = [make_reply(author=person, thread=question) for person in leaders for _ in range(2)]
    old.append(make_reply(author=late, thread=question))
    _age([question, *old], days=3)
    _roll(cast.community)
    for _ in range(2):
        make_reply(author=late, thread=question)
    stars = rising_stars(viewer=cast.outsider, community=cast.community)
    assert stars[0].user == late
    assert stars[0].answers == 3
    assert [s.user for s in stars[1:]] == leaders[:4]


def test_hiding_after_the_roll_up_takes_the_post_out(cast, django_capture_on_commit_callbacks):
    question = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=question)
    _age([question, answer], days=2)
    _roll(cast.community)
    with django_capture_on_commit_callbacks(execute=True):
        actions.hide_content(actor=cast.moderator, thread=question, post=answer, reason="Spam.")
    stars = rising_stars(viewer=cast.outsider, community=cast.community)
    assert [(s.user, s.questions, s.answers) for s in stars] == [(cast.member, 1, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        actions.restore_content(actor=cast.moderator, thread=question, post=answer, reason="Ok.")
    assert len(rising_stars(viewer=cast.outsider, community=cast.community)) == 2


def test_a_post_hidden_by_flags_after_the_roll_up_stops_counting(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.TRELLIS_NEW_MEMBER_POSTS = 0
    question = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=question)
    _age([question, answer], days=2)
    _roll(cast.community)
    with django_capture_on_commit_callbacks(execute=True):
        flag(cast.manager, question, answer, reason="spam")  # a manager's flag hides at once
    assert Post.objects.get(pk=answer.pk).is_hidden
    stars = rising_stars(viewer=cast.outsider, community=cast.community)
    assert [s.user for s in stars] == [cast.member]


def test_a_moved_thread_counts_in_its_new_community(cast, django_capture_on_commit_callbacks):
    question = make_thread(author=cast.member, community=cast.community)
    _age([question], days=2)
    _roll(cast.community)
    elsewhere = CommunityFactory()
    make_member(elsewhere, cast.moderator, role=Role.MODERATOR)
    make_member(elsewhere, cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        actions.move_thread(
            actor=cast.moderator, thread=question, to_community=elsewhere, reason="x"
        )
    assert rising_stars(viewer=cast.outsider, community=cast.community) == []
    assert [s.user for s in rising_stars(viewer=cast.outsider, community=elsewhere)] == [
        cast.member
    ]


def _rows():
    return sorted(
        DailyContribution.objects.values_list(
            "community_id", "user_id", "day", "questions", "answers"
        )
    )


def test_the_job_run_twice_writes_the_same_rows(cast):
    question = make_thread(author=cast.member, community=cast.community)
    answers = [make_reply(author=cast.other_member, thread=question) for _ in range(3)]
    _age([question, answers[0]], days=5)
    _age(answers[1:], days=1)
    assert roll_up_all_contributions.delay(full=True).get() == 1
    first = _rows()
    assert first
    assert len(first) == 3  # the question, the older answer, the two of yesterday
    roll_up_all_contributions.delay().get()
    assert _rows() == first
    roll_up_all_contributions.delay(full=True).get()
    assert _rows() == first


def test_an_hourly_run_adds_what_came_since_without_counting_twice(cast):
    question = make_thread(author=cast.member, community=cast.community)
    _age([question], days=2)
    _roll(cast.community)
    make_reply(author=cast.other_member, thread=question)
    contributions.roll_up(
        community_ids=[cast.community.pk], now=timezone.now() + timedelta(minutes=10)
    )
    assert ContributionRollup.objects.get().counted_until > Post.objects.get().created_at
    stars = rising_stars(viewer=cast.outsider, community=cast.community)
    assert {s.user: (s.questions, s.answers) for s in stars} == {
        cast.member: (1, 0),
        cast.other_member: (0, 1),
    }


def _rolled_rows(cast, rows: int) -> None:
    """`rows` rolled-up rows: a reply each from as many members, yesterday."""
    question = make_thread(author=cast.manager, community=cast.community)
    replies = [make_reply(author=make_member(cast.community), thread=question) for _ in range(rows)]
    _age([question, *replies], days=1)
    _roll(cast.community)
    assert DailyContribution.objects.count() == rows + 1


def _job_queries(cast, rows: int) -> int:
    DailyContribution.objects.all().delete()
    Thread.objects.all().delete()
    _rolled_rows(cast, rows)
    with CaptureQueriesContext(connection) as queries:
        _roll(cast.community)
    return len(queries)


def test_the_job_keeps_a_constant_number_of_queries(cast):
    assert _job_queries(cast, 5) == _job_queries(cast, 50)


def _page_queries(cast, rows: int) -> int:
    DailyContribution.objects.all().delete()
    Thread.objects.all().delete()
    _rolled_rows(cast, rows)
    question = make_thread(author=cast.member, community=cast.community)  # and one live
    make_reply(author=cast.other_member, thread=question)
    with CaptureQueriesContext(connection) as queries:
        stars = rising_stars(viewer=cast.member, community=cast.community)
    assert len(stars) == 5
    return len(queries)


def test_the_rising_stars_keep_a_constant_number_of_queries_with_rolled_up_rows(cast):
    assert _page_queries(cast, 5) == _page_queries(cast, 50)
