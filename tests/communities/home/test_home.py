"""The personal home at `/`: what a signed-in member finds, and what it never shows."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import format_html

from communities import hooks
from communities.circles.models import CircleMeeting
from communities.circles.services.circles import join_circle
from communities.core.models.communities import Role, Visibility
from communities.discussions.services.follows import set_thread_follow
from communities.discussions.services.person_follows import set_person_follow
from communities.models import Tag, ThreadVisit
from tests.communities.factories import (
    CommunityFactory,
    UserFactory,
    add_member,
    add_pending,
    flag,
    make_circle,
    make_circle_of,
    make_member,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, heading_id: str) -> str:
    """The HTML of the card whose heading has `heading_id`."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_anonymous_visitors_get_the_public_welcome(client, cast):
    html = client.get("/").content.decode()
    assert "Communities that learn together" in html
    assert "Your communities" not in html


def test_a_member_sees_their_communities_with_threads_new_since_their_last_visit(client, cast):
    make_thread(author=cast.other_member, community=cast.community, title="Fresh question")
    mine = _section(_home(client, cast.member), "mine-title")
    assert cast.community.name in mine
    assert re.search(r'count-badge">1<', mine)

    thread = cast.community.threads.get()
    client.get(f"/c/{cast.community.slug}/t/{thread.pk}/")
    assert "count-badge" not in _section(_home(client, cast.member), "mine-title")


def test_coming_back_to_a_thread_with_nothing_new_writes_no_visit(client, cast):
    thread = make_thread(author=cast.other_member, community=cast.community, title="Asked")
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    client.force_login(cast.member)

    def visit_writes() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in queries if "INSERT" in q["sql"] and "threadvisit" in q["sql"]]

    assert len(visit_writes()) == 1  # the first visit
    seen = ThreadVisit.objects.get(user=cast.member, thread=thread).seen_at
    assert visit_writes() == []  # nothing moved since: the visit already covers it
    assert ThreadVisit.objects.get(user=cast.member, thread=thread).seen_at == seen
    make_reply(author=cast.other_member, thread=thread, body="Something new")
    assert re.search(r'count-badge">1<', _section(_home(client, cast.member), "mine-title"))
    assert len(visit_writes()) == 1  # new activity: the visit moves past it
    assert ThreadVisit.objects.get(user=cast.member, thread=thread).seen_at > seen
    assert "count-badge" not in _section(_home(client, cast.member), "mine-title")


def test_threads_from_before_joining_are_not_news_to_a_newcomer(client, cast):
    make_thread(author=cast.other_member, community=cast.community)
    newcomer = add_member(cast.community)
    assert "count-badge" not in _section(_home(client, newcomer), "mine-title")


def test_private_communities_show_only_to_their_members(client, private_cast):
    make_thread(author=private_cast.member, community=private_cast.community, title="Secret")
    assert private_cast.community.name in _home(client, private_cast.other_member)
    outsider_home = _home(client, private_cast.outsider)
    assert private_cast.community.name not in outsider_home
    assert "Secret" not in outsider_home


def test_circle_threads_count_and_show_only_for_the_circle(client, cast):
    tag = Tag.objects.create(name="facilitation")
    cast.other_member.expertise.add(tag)
    circle = make_circle_of(cast.community, cast.member, name="Inner circle")
    make_thread(
        author=cast.member,
        community=cast.community,
        circle=circle,
        title="Circle only question",
        tag_names=["facilitation"],
    )
    outside = _home(client, cast.other_member)
    assert "Circle only question" not in outside
    assert "count-badge" not in _section(outside, "mine-title")
    circle_member = make_member(cast.community)
    join_circle(user=circle_member, circle=circle)
    make_reply(author=cast.member, thread=cast.community.threads.get())
    inside = _section(_home(client, circle_member), "circles-title")
    assert "Inner circle" in inside
    assert re.search(r'count-badge">1<', inside)


def test_questions_matching_expertise_never_name_an_anonymous_asker(client, cast):
    tag = Tag.objects.create(name="facilitation")
    cast.champion.expertise.add(tag)
    make_thread(
        author=cast.other_member,
        community=cast.community,
        title="Anonymous worry",
        tag_names=["facilitation"],
        is_anonymous=True,
    )
    make_thread(author=cast.member, community=cast.community, title="Off topic", tag_names=["x"])
    answered = make_thread(author=cast.member, community=cast.community, title="Already answered")
    make_reply(author=cast.moderator, thread=answered)
    questions = _section(_home(client, cast.champion), "questions-title")
    assert "Anonymous worry" in questions
    assert "Anonymous member" in questions
    assert cast.other_member.public_name not in questions
    assert cast.other_member.username not in questions
    assert "Off topic" not in questions
    assert "Already answered" not in questions


def test_followed_threads_with_new_replies_since_the_last_visit(client, cast):
    thread = make_thread(author=cast.other_member, community=cast.community, title="Followed one")
    set_thread_follow(user=cast.member, thread=thread, follow=True)
    client.force_login(cast.member)
    client.get(f"/c/{cast.community.slug}/t/{thread.pk}/")
    assert "Followed one" not in _section(_home(client, cast.member), "followed-title")
    make_reply(author=cast.champion, thread=thread)
    assert "Followed one" in _section(_home(client, cast.member), "followed-title")


def test_next_meetings_show_the_members_role_in_their_own_timezone(client, cast):
    circle = make_circle(cast.community, members=3, timezone_name="Europe/Berlin")
    join_circle(user=cast.member, circle=circle)
    cast.member.timezone = "America/Los_Angeles"
    cast.member.save(update_fields=["timezone"])
    meeting = CircleMeeting.objects.filter(circle=circle).order_by("starts_at").first()
    CircleMeeting.objects.filter(pk=meeting.pk).update(facilitator=cast.member)
    meetings = _section(_home(client, cast.member), "meetings-title")
    local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles"))
    assert f"{local:%H:%M}" in meetings
    assert "America/Los_Angeles" in meetings
    assert "you are facilitator" in meetings
    assert circle.name in meetings


def test_what_waits_for_managers_and_moderators(client, restricted_cast):
    cast = restricted_cast
    add_pending(cast.community)
    thread = make_thread(author=cast.member, community=cast.community)
    flag(cast.other_member, thread)
    manager = _section(_home(client, cast.manager), "waiting-title")
    assert "2 join requests" in manager  # the cast's pending person and this one
    assert "1 flag to review" in manager
    moderator = _section(_home(client, cast.moderator), "waiting-title")
    assert "1 flag to review" in moderator
    assert "join request" not in moderator
    assert 'id="waiting-title"' not in _home(client, cast.member)


def test_later_features_add_panels_to_the_home(client, cast, monkeypatch):
    monkeypatch.setitem(hooks._registry, hooks.HOME_PANELS, [])
    hooks.register(
        hooks.HOME_PANELS, lambda request, user: format_html("<p>Proposal for {}</p>", user.pk)
    )
    assert f"<p>Proposal for {cast.member.pk}</p>" in _home(client, cast.member)


def test_a_newcomer_sees_three_suggestions_by_their_tags_and_a_checklist(client, db):
    def community(name, tags, visibility=Visibility.OPEN):
        made = new_community(name=name, slug=name.lower().replace(" ", "-"), visibility=visibility)
        made.tags.set([Tag.objects.get_or_create(name=tag)[0] for tag in tags])
        return made

    community("Gardening", ["plants"])
    community("Facilitators", ["facilitation", "workshops"])
    community("Workshop makers", ["workshops"])
    community("Retro fans", ["retrospectives"])
    community("Hidden facilitators", ["facilitation", "workshops"], Visibility.PRIVATE)
    newcomer = UserFactory(display_name="Noor", bio="")
    newcomer.expertise.set(Tag.objects.filter(name__in=["facilitation", "workshops"]))

    html = _home(client, newcomer)
    suggestions = _section(html, "suggest-title")
    names = re.findall(r'<h3><a href="/c/[^"]+/">([^<]+)</a></h3>', suggestions)
    assert names[:2] == ["Facilitators", "Workshop makers"]
    assert len(names) == 3
    assert "Hidden facilitators" not in html
    start = _section(html, "start-title")
    assert start.count("(done)") == 0

    newcomer.bio = "I run workshops."
    newcomer.save(update_fields=["bio"])
    joined = add_member(community_named("Facilitators"), newcomer)
    make_thread(author=joined, community=community_named("Facilitators"), kind="discussion")
    html = _home(client, newcomer)
    assert 'id="suggest-title"' not in html
    assert _section(html, "start-title").count("(done)") == 3
    make_thread(author=joined, community=community_named("Facilitators"), title="First ask")
    assert 'id="start-title"' not in _home(client, newcomer)


def community_named(name):
    from communities.models import Community

    return Community.objects.get(name=name)


def _grow(user, size: int):
    """`user` in `size` communities, each with a circle meeting they attend, a followed thread
    with news, an unanswered question on their expertise, a join request and a flag."""
    tag, _ = Tag.objects.get_or_create(name="facilitation")
    user.expertise.add(tag)
    have = user.memberships.count()
    for n in range(have, size):
        community = CommunityFactory(visibility=Visibility.RESTRICTED)
        make_member(community, user, role=Role.MANAGER)
        other = make_member(community)
        flagger = make_member(community)
        circle = make_circle_of(community, user, other, name=f"Circle {n}")
        CircleMeeting.objects.create(
            circle=circle, sequence=1, starts_at=timezone.now() + dt.timedelta(days=n + 1)
        )
        thread = make_thread(author=other, community=community, kind="discussion", title=f"T{n}")
        set_thread_follow(user=user, thread=thread, follow=True)
        set_person_follow(user=user, person=other, follow=True)
        make_reply(author=other, thread=thread)
        question = make_thread(author=other, community=community, tag_names=["facilitation"])
        make_thread(author=other, community=community, circle=circle, title=f"In circle {n}")
        add_pending(community)
        flag(flagger, question)


def test_the_home_keeps_a_constant_number_of_queries(client):
    user = UserFactory()
    client.force_login(user)
    counts = []
    for size in (5, 50):
        _grow(user, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        counts.append(len(queries))
    html = response.content.decode()
    assert "Circle 49" in html
    assert "1 join request" in html
    assert 'id="people-title"' in html
    assert counts[0] == counts[1], counts
