from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import permissions
from communities.core.models.communities import Visibility
from communities.discussions.models.badges import BadgeKind
from communities.discussions.selectors.badges import rising_stars
from communities.discussions.services.threads import accept_answer
from communities.models import AwardedBadge, Post, Thread
from tests.communities.factories import (
    CommunityFactory,
    make_circle_of,
    make_member,
    make_reply,
    make_thread,
)


def kinds(user):
    return set(AwardedBadge.objects.filter(user=user).values_list("kind", flat=True))


def test_first_question_and_first_answer(cast):
    question = make_thread(author=cast.member, community=cast.community)
    make_thread(author=cast.member, community=cast.community, title="Another")
    assert AwardedBadge.objects.filter(user=cast.member, kind=BadgeKind.FIRST_QUESTION).count() == 1
    make_reply(author=cast.member, thread=question, body="my own follow-up")
    assert BadgeKind.FIRST_ANSWER not in kinds(cast.member)
    make_reply(author=cast.other_member, thread=question)
    assert BadgeKind.FIRST_ANSWER in kinds(cast.other_member)


def test_anonymous_questions_earn_no_badge(cast, settings):
    for n in range(10):
        make_thread(author=cast.member, community=cast.community, is_anonymous=True, title=f"Q{n}")
    assert kinds(cast.member) == set()


def test_helpful_answer_never_for_answering_ones_own_question(cast):
    question = make_thread(author=cast.member, community=cast.community)
    own = make_reply(author=cast.member, thread=question, body="I found it myself")
    accept_answer(actor=cast.member, thread=question, post=own)
    assert BadgeKind.HELPFUL_ANSWER not in kinds(cast.member)
    other = make_reply(author=cast.other_member, thread=question)
    accept_answer(actor=cast.member, thread=question, post=other)
    assert BadgeKind.HELPFUL_ANSWER in kinds(cast.other_member)


def test_curious_mind_after_ten_questions(cast):
    for n in range(9):
        make_thread(author=cast.member, community=cast.community, title=f"Q{n}")
    assert BadgeKind.CURIOUS_MIND not in kinds(cast.member)
    make_thread(author=cast.member, community=cast.community, title="Q10")
    assert BadgeKind.CURIOUS_MIND in kinds(cast.member)


def test_welcomer_after_replying_to_five_newcomers_first_threads(cast):
    newcomers = [make_member(cast.community) for _ in range(5)]
    for n, newcomer in enumerate(newcomers):
        first = make_thread(author=newcomer, community=cast.community, title=f"Hello {n}")
        if n == 0:
            second = make_thread(author=newcomer, community=cast.community, title="Again")
            make_reply(author=cast.champion, thread=second)  # not a first thread
        make_reply(author=cast.champion, thread=first, body="Welcome!")
        assert (BadgeKind.WELCOMER in kinds(cast.champion)) == (n == 4)


def test_streak_after_four_weeks_in_a_row(cast):
    thread = make_thread(author=cast.moderator, community=cast.community)
    for weeks_ago in (3, 2, 1):
        post = make_reply(author=cast.member, thread=thread, body=f"{weeks_ago} weeks ago")
        Post.objects.filter(pk=post.pk).update(
            created_at=timezone.now() - timedelta(weeks=weeks_ago)
        )
    assert BadgeKind.STREAK not in kinds(cast.member)
    make_reply(author=cast.member, thread=thread, body="this week")
    assert BadgeKind.STREAK in kinds(cast.member)


def test_managers_grant_verified_expert_on_a_page(client, cast):
    question = make_thread(author=cast.member, community=cast.community, tag_names=["python"])
    url = f"/c/{cast.community.slug}/moderation/experts/"
    client.force_login(cast.manager)
    response = client.post(url, {"username": cast.other_member.username, "tag_name": "nope"})
    assert response.status_code == 400
    assert "no tag" in response.content.decode()
    experts = AwardedBadge.objects.filter(kind=BadgeKind.VERIFIED_EXPERT)
    assert not experts.exists()
    response = client.post(url, {"username": cast.other_member.username, "tag_name": "python"})
    assert response.status_code == 302
    assert permissions.is_verified_expert(cast.other_member, question.tags.all())
    assert permissions.can(cast.other_member, "mark_verified_answer", question)
    client.post(url, {"username": cast.other_member.username, "tag_name": "python"})
    assert experts.count() == 1  # twice is a no-op
    client.force_login(cast.moderator)
    assert client.get(url).status_code == 404


def test_profiles_show_badges_only_from_communities_the_viewer_may_see(client, cast):
    secret = CommunityFactory(visibility=Visibility.PRIVATE, name="Secret Society")
    make_member(secret, cast.member)
    make_thread(author=cast.member, community=secret)
    make_thread(author=cast.member, community=cast.community)
    url = f"/people/{cast.member.username}/"
    html = client.get(url).content.decode()
    assert "First question" in html
    assert cast.community.name in html
    assert "Secret Society" not in html
    client.force_login(cast.member)
    assert "Secret Society" in client.get(url).content.decode()


def test_rising_stars_count_questions_like_answers(cast):
    question = make_thread(author=cast.member, community=cast.community)
    make_reply(author=cast.other_member, thread=question)
    make_thread(author=cast.champion, community=cast.community, is_anonymous=True, title="A")
    old = make_thread(author=cast.moderator, community=cast.community, title="Old")
    Thread.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    stars = rising_stars(viewer=cast.outsider, community=cast.community)
    assert {star.user for star in stars} == {cast.member, cast.other_member}
    assert all(star.score == 1 for star in stars)


def test_rising_stars_stay_inside_a_private_community(cast):
    secret = CommunityFactory(visibility=Visibility.PRIVATE)
    member = make_member(secret)
    make_thread(author=member, community=secret)
    assert rising_stars(viewer=cast.outsider, community=secret) == []
    assert [star.user for star in rising_stars(viewer=member, community=secret)] == [member]


def test_circle_threads_stay_out_of_the_public_rising_stars(cast):
    circle = make_circle_of(cast.community, cast.member, cast.other_member, name="Quiet circle")
    question = make_thread(author=cast.member, community=cast.community, circle=circle)
    make_reply(author=cast.other_member, thread=question)
    assert rising_stars(viewer=cast.outsider, community=cast.community) == []


def _stars_queries(cast, rows: int) -> int:
    while Thread.objects.count() < rows:
        make_thread(author=make_member(cast.community), community=cast.community)
    with CaptureQueriesContext(connection) as queries:
        stars = rising_stars(viewer=cast.member, community=cast.community)
    assert len(stars) == 5
    return len(queries)


def test_rising_stars_keep_a_constant_number_of_queries(cast):
    small, large = _stars_queries(cast, 5), _stars_queries(cast, 50)
    assert small == large


def test_the_community_page_shows_its_rising_stars(cast, client):
    make_thread(author=cast.member, community=cast.community)
    client.force_login(cast.outsider)
    html = client.get(f"/c/{cast.community.slug}/").content.decode()
    assert "Rising stars" in html
    assert cast.member.public_name in html
