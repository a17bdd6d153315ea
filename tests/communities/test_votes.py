import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from communities.discussions.services.votes import thank, unvote, vote
from communities.models import Post, Thanks, Vote
from tests.communities.factories import Cast, make_reply, make_thread


@pytest.fixture
def post(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    return make_reply(author=cast.other_member, thread=thread)


def test_voting_twice_counts_once_and_can_be_undone(cast, post):
    assert vote(voter=cast.member, post=post) is True
    assert vote(voter=cast.member, post=post) is False
    post.refresh_from_db()
    assert post.vote_count == 1
    assert unvote(voter=cast.member, post=post) is True
    assert unvote(voter=cast.member, post=post) is False
    post.refresh_from_db()
    assert post.vote_count == 0
    assert not Vote.objects.exists()


def test_a_vote_on_ones_own_reply_is_refused(cast, post):
    with pytest.raises(ValidationError, match="your own reply"):
        vote(voter=cast.other_member, post=post)
    post.refresh_from_db()
    assert post.vote_count == 0
    assert not Vote.objects.exists()


def test_a_vote_on_a_hidden_reply_is_refused(cast, post):
    Post.objects.filter(pk=post.pk).update(is_hidden=True)
    with pytest.raises(ValidationError, match="hidden"):
        vote(voter=cast.member, post=post)
    assert not Vote.objects.exists()


def test_thanks_once(cast, post):
    assert thank(user=cast.member, post=post) is True
    assert thank(user=cast.member, post=post) is False
    post.refresh_from_db()
    assert post.thanks_count == 1
    assert Thanks.objects.count() == 1


def test_outsiders_cannot_vote(cast, post):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        vote(voter=cast.outsider, post=post)


def test_voting_through_htmx_returns_the_reactions_fragment(client, cast, post):
    client.force_login(cast.member)
    url = f"/c/{cast.community.slug}/t/{post.thread_id}/p/{post.pk}/vote/"
    response = client.post(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="reactions-' in html
    assert "Undo vote" in html
    assert "<html" not in html
    response = client.post(url, {"action": "undo"}, headers={"HX-Request": "true"})
    assert "Vote up" in response.content.decode()


def test_voting_on_ones_own_reply_in_the_browser_shows_the_message(client, cast, post):
    client.force_login(cast.other_member)
    url = f"/c/{cast.community.slug}/t/{post.thread_id}/p/{post.pk}/vote/"
    response = client.post(url, follow=True)
    assert "You can&#x27;t vote on your own reply." in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_votes_at_once_count_once():
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    post = make_reply(author=cast.other_member, thread=thread)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click():
        try:
            barrier.wait()
            results.append(vote(voter=cast.member, post=post))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=click) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert sorted(results) == [False, True]
    post.refresh_from_db()
    assert post.vote_count == 1
    assert Vote.objects.filter(post=post).count() == 1
