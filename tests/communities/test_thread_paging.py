"""Answers come 30 a page: the accepted and verified answers first on page 1, page links work,
and after replying a person lands on the page that shows their reply."""

import re

import pytest

from communities.discussions.selectors.threads import ANSWERS_PER_PAGE
from communities.discussions.services.threads import accept_answer, mark_verified_answer
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def _answers(cast, thread, count: int) -> list:
    authors = [cast.other_member, cast.champion, cast.moderator, cast.manager]
    return [
        make_reply(author=authors[n % 4], thread=thread, body=f"Answer number {n}")
        for n in range(count)
    ]


def _post_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', html)]


def test_page_one_starts_with_the_accepted_and_verified_answers(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    answers = _answers(cast, thread, ANSWERS_PER_PAGE + 5)
    accepted, verified = answers[-1], answers[-2]
    accept_answer(actor=cast.member, thread=thread, post=accepted)
    mark_verified_answer(actor=cast.moderator, thread=thread, post=verified)
    client.force_login(cast.member)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"

    first = client.get(url).content.decode()
    ids = _post_ids(first)
    assert len(ids) == ANSWERS_PER_PAGE
    assert ids[:2] == [accepted.pk, verified.pk]
    assert f"{ANSWERS_PER_PAGE + 5} answers" in first
    assert 'href="?page=2"' in first

    second = client.get(url, {"page": 2}).content.decode()
    rest = _post_ids(second)
    assert len(rest) == 5
    assert not set(rest) & set(ids)
    assert {answer.pk for answer in answers} == set(ids) | set(rest)
    assert 'href="?page=1"' in second


def test_nested_replies_show_under_their_answer(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    answer = _answers(cast, thread, 1)[0]
    nested = make_reply(
        author=cast.member, thread=thread, body="Thanks, **tried it**", parent=answer
    )
    html = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    section = html[html.index(f'id="post-{answer.pk}"') :]
    assert section.index('class="post__children"') < section.index(f'id="post-{nested.pk}"')
    assert "<strong>tried it</strong>" in section
    assert 'class="post post--nested"' in section


def test_a_new_reply_lands_on_the_page_that_shows_it(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    answers = _answers(cast, thread, ANSWERS_PER_PAGE)
    client.force_login(cast.member)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"

    response = client.post(url, {"body": "One more answer"})
    new = thread.posts.latest("pk")
    assert response.url == f"{url}?page=2#post-{new.pk}"
    assert new.pk in _post_ids(client.get(url, {"page": 2}).content.decode())

    response = client.post(url, {"body": "Under the first", "parent": answers[0].pk})
    nested = thread.posts.latest("pk")
    assert response.url == f"{url}#post-{nested.pk}"
