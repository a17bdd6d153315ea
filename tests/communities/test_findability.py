"""Findability: a page per tag (its threads and experts, followable) and similar threads
while a question's title is typed, each respecting visibility and anonymity."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.core.services.profiles import update_profile
from communities.discussions.services.badges import grant_verified_expert
from communities.models import AuditEntry, Follow, Thread
from tests.communities.factories import (
    Cast,
    CommunityFactory,
    make_circle_of,
    make_member,
    make_thread,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "moderator", "manager", "staff"]


def _login(client, cast, role):
    if cast[role] is not None:
        client.force_login(cast[role])


def _page(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response.content.decode()


# The tag page ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_tag_page_lists_only_threads_the_viewer_may_read(client, role):
    cast = Cast("open")
    private = Cast("private")
    public = make_thread(
        author=cast.member, community=cast.community, title="Open retro", tag_names=["retro"]
    )
    circle = make_circle_of(cast.community, cast.member)
    in_circle = make_thread(
        author=cast.member,
        community=cast.community,
        circle=circle,
        title="Circle retro notes",
        tag_names=["retro"],
    )
    secret = make_thread(
        author=private.member,
        community=private.community,
        title="Secret retro",
        tag_names=["retro"],
    )
    _login(client, cast, role)
    status, page = _page(client, "/tags/retro/")
    assert status == 200
    assert public.title in page
    assert (in_circle.title in page) == (role in ("member", "staff"))  # the circle is his
    assert (secret.title in page) == (role == "staff")
    assert (private.community.name in page) == (role == "staff")


def test_a_tag_used_only_where_the_viewer_cannot_look_has_no_page(client):
    private = Cast("private")
    make_thread(author=private.member, community=private.community, tag_names=["skunkworks-merger"])
    for who in (None, private.outsider):
        client.logout()
        if who is not None:
            client.force_login(who)
        assert client.get("/tags/skunkworks-merger/").status_code == 404
    client.force_login(private.member)
    assert client.get("/tags/skunkworks-merger/").status_code == 200
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_the_tag_page_never_names_an_anonymous_asker(client, cast):
    make_thread(
        author=cast.member,
        community=cast.community,
        is_anonymous=True,
        title="Anonymous retro worry",
        tag_names=["retro"],
    )
    for role in ("outsider", "moderator", "manager", "staff"):
        client.force_login(cast[role])
        _, page = _page(client, "/tags/retro/")
        assert "Anonymous retro worry" in page
        assert cast.member.public_name not in page
        assert cast.member.username not in page


def test_the_tag_page_shows_experts_the_viewer_may_know_of(client, cast):
    private = Cast("private")
    update_profile(actor=cast.champion, user=cast.champion, expertise=["retro"])
    grant_verified_expert(
        actor=cast.manager, community=cast.community, user=cast.moderator, tag_name="retro"
    )
    grant_verified_expert(
        actor=private.manager, community=private.community, user=private.member, tag_name="retro"
    )
    make_thread(author=cast.member, community=cast.community, tag_names=["retro"])
    client.force_login(cast.outsider)
    _, page = _page(client, "/tags/retro/")
    assert cast.champion.public_name in page
    assert cast.moderator.public_name in page
    assert private.member.public_name not in page  # verified only inside a private community
    assert private.community.name not in page


def test_the_tag_can_be_followed_from_its_page(client, cast):
    make_thread(author=cast.member, community=cast.community, tag_names=["retro"])
    client.force_login(cast.outsider)
    _, page = _page(client, "/tags/retro/")
    assert 'action="/tags/retro/follow/"' in page
    client.post("/tags/retro/follow/", {"action": "follow", "next": "/tags/retro/"})
    assert Follow.objects.filter(user=cast.outsider, tag__name="retro").exists()
    _, page = _page(client, "/tags/retro/")
    assert "Following tag “retro”" in page
    client.logout()
    _, page = _page(client, "/tags/retro/")
    assert 'action="/tags/retro/follow/"' not in page


def _tag_page_queries(client, cast, count: int) -> int:
    others = [CommunityFactory(visibility="open") for _ in range(3)]
    while True:
        have = Thread.objects.filter(tags__name="retro").count()
        if have >= count:
            break
        community = [cast.community, *others][have % 4]
        author = cast.member if community == cast.community else make_member(community)
        make_thread(author=author, community=community, tag_names=["retro", f"t{have}"])
    url = "/tags/retro/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_tag_page_keeps_a_constant_number_of_queries(client, cast):
    client.force_login(cast.outsider)
    small = _tag_page_queries(client, cast, 5)
    large = _tag_page_queries(client, cast, 50)
    assert small == large


# Similar threads while typing --------------------------------------------------------------


def _similar(client, cast, title: str, community=None) -> tuple[int, str]:
    community = community or cast.community
    return _page(client, f"/c/{community.slug}/t/similar/", title=title)


def test_similar_threads_appear_while_typing(client, cast):
    asked = make_thread(
        author=cast.member,
        community=cast.community,
        title="How do you run a retrospective with a remote team?",
    )
    make_thread(author=cast.member, community=cast.community, title="Pairing schedules for juniors")
    client.force_login(cast.other_member)
    status, fragment = _similar(client, cast, "Running a remote retrospective")
    assert status == 200
    assert asked.title in fragment
    assert "Pairing schedules" not in fragment
    assert f'href="/c/{cast.community.slug}/t/{asked.pk}/"' in fragment
    _, nothing = _similar(client, cast, "retro")  # too short to say anything yet
    assert asked.title not in nothing


def test_the_new_thread_form_asks_for_similar_threads_through_htmx(client, cast):
    client.force_login(cast.member)
    page = client.get(f"/c/{cast.community.slug}/t/new/").content.decode()
    assert f'hx-get="/c/{cast.community.slug}/t/similar/"' in page
    assert 'id="similar-threads"' in page
    assert "<script>" not in page  # static JavaScript only, under the CSP


def test_similar_threads_respect_circles_and_anonymity(client, cast):
    circle = make_circle_of(cast.community, cast.member)
    make_thread(
        author=cast.member,
        community=cast.community,
        circle=circle,
        title="Retrospective formats for our circle",
    )
    make_thread(
        author=cast.champion,
        community=cast.community,
        is_anonymous=True,
        title="Retrospective anxiety as a facilitator",
    )
    client.force_login(cast.other_member)
    _, fragment = _similar(client, cast, "Retrospective formats and anxiety")
    assert "Retrospective anxiety" in fragment
    assert "for our circle" not in fragment
    assert cast.champion.public_name not in fragment
    client.force_login(cast.member)
    _, fragment = _similar(client, cast, "Retrospective formats and anxiety")
    assert "for our circle" in fragment


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("outsider", 404),
        ("member", 200),
        ("moderator", 200),
        ("manager", 200),
        ("staff", 200),
    ],
)
def test_similar_threads_in_a_private_community_only_for_its_people(client, role, status):
    cast = Cast("private")
    make_thread(author=cast.member, community=cast.community, title="Retrospective secrets")
    _login(client, cast, role)
    code, fragment = _similar(client, cast, "Retrospective secrets again")
    assert code == status
    assert ("Retrospective secrets" in fragment) == (status == 200)


@pytest.mark.parametrize("role", ROLES)
def test_similar_threads_in_an_open_community_for_every_role(client, role):
    cast = Cast("open")
    make_thread(author=cast.member, community=cast.community, title="Retrospective timing")
    _login(client, cast, role)
    code, fragment = _similar(client, cast, "Retrospective timing for teams")
    assert code == 200
    assert "Retrospective timing" in fragment


# Closing a question as a duplicate ---------------------------------------------------------


def _close(client, cast, thread, original_id, reason="Asked before; answers are there."):
    return client.post(
        f"/c/{cast.community.slug}/moderation/act/",
        {"thread": thread.pk, "action": "duplicate", "original": original_id, "reason": reason},
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("member", 404),
        ("moderator", 302),
        ("manager", 302),
        ("staff", 302),
    ],
)
def test_who_may_close_a_question_as_a_duplicate(client, cast, role, status):
    original = make_thread(author=cast.member, community=cast.community, title="Original")
    copy = make_thread(
        author=cast.other_member, community=cast.community, title="Copy", is_anonymous=True
    )
    _login(client, cast, role)
    response = _close(client, cast, copy, original.pk)
    assert response.status_code == status
    copy.refresh_from_db()
    closed = role in ("moderator", "manager", "staff")
    assert (copy.duplicate_of_id == original.pk) == closed
    assert copy.is_locked == closed
    entries = AuditEntry.objects.filter(action="close_duplicate", target_id=copy.pk)
    assert entries.exists() == closed
    if closed:
        entry = entries.get()
        assert entry.subject_user is None  # the anonymous asker is not named
        assert f"duplicate of #{original.pk}" in entry.reason
        client.force_login(cast.member)
        page = client.get(f"/c/{cast.community.slug}/t/{copy.pk}/").content.decode()
        assert f'href="/c/{cast.community.slug}/t/{original.pk}/">read the answers' in page
        assert "no longer takes replies" in page
        client.force_login(cast.manager)
        audit = client.get(f"/c/{cast.community.slug}/moderation/audit/").content.decode()
        assert "closed the thread “Copy” as a duplicate" in audit
        assert cast.other_member.public_name not in audit


def test_a_duplicate_must_point_at_a_thread_its_readers_can_read(client, cast):
    other = Cast("open")
    circle = make_circle_of(cast.community, cast.member)
    copy = make_thread(author=cast.other_member, community=cast.community, title="Copy")
    elsewhere = make_thread(author=other.member, community=other.community)
    in_circle = make_thread(author=cast.member, community=cast.community, circle=circle)
    client.force_login(cast.moderator)
    for original_id in ("", copy.pk, elsewhere.pk, in_circle.pk, 999_999):
        response = _close(client, cast, copy, original_id)
        assert response.status_code == 400, original_id
    assert "Give the number" in _close(client, cast, copy, "").content.decode()
    assert (
        "open to everyone who reads this one"
        in _close(client, cast, copy, in_circle.pk).content.decode()
    )
    copy.refresh_from_db()
    assert copy.duplicate_of_id is None
    assert not copy.is_locked
    assert not AuditEntry.objects.filter(action="close_duplicate").exists()
