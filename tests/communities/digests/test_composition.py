"""What goes into a digest, and what never does."""

import re

import pytest
from django.conf import settings

from communities.digests import selectors, services
from communities.models import Community, Follow, Membership, Post, Thread
from communities.public import MembershipStatus, Visibility, visible_threads
from tests.communities.digests.factories import circle_of, later, member_with_expertise
from tests.communities.factories import (
    UserFactory,
    add_member,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db


def digest_of(member, kind="weekly"):
    return selectors.digest_batch(kind=kind, member_ids=[member.pk], now=later())[0]


def titles(digest, key=None):
    return [
        item.title
        for section in digest.sections
        if key is None or section.key == key
        for item in section.items
    ]


def thread_ids(digest):
    return {
        int(match)
        for section in digest.sections
        for item in section.items
        for match in re.findall(r"/t/(\d+)/", item.url)
    }


def test_a_digest_collects_active_threads_questions_to_help_answers_and_meetings():
    community = new_community()
    reader = member_with_expertise(community, "facilitation")
    asker, helper = add_member(community), add_member(community)
    busy = make_thread(
        author=asker, community=community, kind="discussion", title="Check-ins that work"
    )
    make_reply(author=helper, thread=busy)
    make_thread(
        author=asker,
        community=community,
        title="Silent retrospectives?",
        tag_names=["facilitation"],
    )
    followed = make_thread(author=asker, community=community, title="Dot voting or not?")
    answer = make_reply(author=helper, thread=followed, body="Dot voting, with a timebox.")
    Follow.objects.create(user=reader, thread=followed)
    Thread.objects.filter(pk=followed.pk).update(accepted_answer=answer)
    circle_of(community, reader, name="Book circle")

    digest = digest_of(reader)

    assert digest.skip_reason == ""
    assert "Check-ins that work" in titles(digest, "active")
    assert titles(digest, "help") == ["Silent retrospectives?"]
    assert titles(digest, "answers") == ["Dot voting or not?"]
    assert titles(digest, "meetings") == ["Book circle: meeting 1"]
    subject, text, html = services.render_digest(digest)
    assert subject.startswith("Your week on Trellis: ")
    assert "Dot voting, with a timebox." in text
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert f"{site}/c/{community.slug}/t/{followed.pk}/" in text
    assert "<script" not in html


def test_questions_to_help_match_expertise_and_never_the_members_own():
    community = new_community()
    reader = member_with_expertise(community, "data")
    make_thread(author=reader, community=community, title="My own question", tag_names=["data"])
    make_thread(
        author=add_member(community), community=community, title="Off topic", tag_names=["ux"]
    )
    assert titles(digest_of(reader), "help") == []


def test_only_threads_the_member_may_read_now():
    open_one = new_community()
    private = new_community(visibility=Visibility.PRIVATE)
    left = new_community()
    reader = add_member(open_one)
    add_member(left, reader)
    author = add_member(open_one)
    add_member(private, author)
    add_member(left, author)
    make_thread(author=author, community=open_one, kind="discussion", title="Readable")
    make_thread(author=author, community=private, kind="discussion", title="Private one")
    make_thread(author=author, community=left, kind="discussion", title="In a community I left")
    hidden = make_thread(author=author, community=open_one, kind="discussion", title="Hidden")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    circle = circle_of(open_one, author, name="Closed circle", meeting_in_hours=None)
    make_thread(
        author=author, community=open_one, kind="discussion", title="Circle only", circle=circle
    )
    Membership.objects.filter(user=reader, community=left).update(status=MembershipStatus.LEFT)

    digest = digest_of(reader)

    assert titles(digest) == ["Readable"]
    assert thread_ids(digest) <= set(visible_threads(reader).values_list("pk", flat=True))
    assert "Circle only" in titles(digest_of(author))


def test_a_moderator_does_not_get_hidden_threads_or_hidden_answers_either():
    community = new_community()
    moderator = add_member(community, role="moderator")
    asker, helper = add_member(community), add_member(community)
    thread = make_thread(author=asker, community=community, title="Which board?")
    answer = make_reply(author=helper, thread=thread, body="SECRET-HIDDEN-ANSWER")
    Follow.objects.create(user=moderator, thread=thread)
    Thread.objects.filter(pk=thread.pk).update(accepted_answer=answer)
    Post.objects.filter(pk=answer.pk).update(is_hidden=True)
    hidden = make_thread(author=asker, community=community, title="HIDDEN-THREAD")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)

    digest = digest_of(moderator)
    _, text, html = services.render_digest(digest)

    assert titles(digest, "answers") == []
    assert "SECRET-HIDDEN-ANSWER" not in text + html
    assert "HIDDEN-THREAD" not in text + html


def test_an_anonymous_asker_is_never_named():
    community = new_community()
    reader = member_with_expertise(community, "careers")
    asker = add_member(community, UserFactory(display_name="Zed Quietly"))
    question = make_thread(
        author=asker,
        community=community,
        title="Leaving my first job",
        tag_names=["careers"],
        is_anonymous=True,
    )
    make_reply(author=asker, thread=question, body="Adding some context myself.")
    digest = digest_of(reader)
    subject, text, html = services.render_digest(digest)
    assert "Leaving my first job" in text
    assert "Zed Quietly" not in subject + text + html
    assert asker.username not in text + html


def test_a_chatham_house_community_says_what_was_discussed_without_names():
    community = new_community(visibility=Visibility.PRIVATE, is_chatham_house=True)
    reader = add_member(community)
    speaker = add_member(community, UserFactory(display_name="Named Speaker"))
    thread = make_thread(
        author=speaker, community=community, kind="discussion", title="Hard conversations"
    )
    make_reply(author=add_member(community), thread=thread)
    digest = digest_of(reader)
    _, text, html = services.render_digest(digest)
    assert "Hard conversations" in text
    assert "Named Speaker" not in text + html
    assert "Chatham House rule" in text


def test_other_apps_add_sections_for_the_whole_batch_at_once():
    from communities import hooks

    community = new_community()
    reader = add_member(community)
    calls = []

    def articles(users, since, until):
        calls.append([u.pk for u in users])
        return {
            u.pk: [{"title": "New articles", "items": [{"title": "Dot voting", "url": "/kb/x/"}]}]
            for u in users
        }

    hooks.register(hooks.DIGEST_SECTIONS, articles)
    try:
        digest = digest_of(reader)
    finally:
        hooks._registry[hooks.DIGEST_SECTIONS].remove(articles)
    assert calls == [[reader.pk]]
    assert titles(digest) == ["Dot voting"]


def test_headers_cannot_be_broken_by_names_or_titles():
    community = new_community()
    Community.objects.filter(pk=community.pk).update(name="Ops\r\nBcc: victim@example.org")
    reader = add_member(
        community, UserFactory(display_name="Eve\nBcc: everyone@example.org", username="eve")
    )
    make_thread(
        author=add_member(community),
        community=community,
        kind="discussion",
        title="Hello\r\nBcc: all@example.org",
    )
    message = services.digest_message(digest_of(reader))
    raw = message.message().as_string()
    headers = raw.split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.match(r"<http://\S+/unsubscribe/\S+/>$", message.extra_headers["List-Unsubscribe"])
