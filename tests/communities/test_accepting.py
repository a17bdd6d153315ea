import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import permissions
from communities.discussions.services.threads import accept_answer, mark_verified_answer
from communities.models import Post, Thread
from tests.communities.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(cast):
    return make_thread(author=cast.member, community=cast.community, is_anonymous=True)


def test_the_anonymous_asker_accepts_an_answer_and_again_changes_nothing(cast, question):
    answer = make_reply(author=cast.other_member, thread=question)
    accept_answer(actor=cast.member, thread=question, post=answer)
    accept_answer(actor=cast.member, thread=question, post=answer)
    question.refresh_from_db()
    assert question.accepted_answer == answer


@pytest.mark.parametrize("who", ["other_member", "moderator", "staff"])
def test_accepting_on_someone_elses_question_is_refused(cast, question, who):
    answer = make_reply(author=cast.other_member, thread=question)
    with pytest.raises(PermissionDenied, match="Only the person who asked"):
        accept_answer(actor=getattr(cast, who), thread=question, post=answer)
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_only_answers_of_this_question_that_are_visible_can_be_accepted(cast, question):
    answer = make_reply(author=cast.other_member, thread=question)
    nested = make_reply(author=cast.champion, thread=question, parent=answer)
    other = make_thread(author=cast.member, community=cast.community, title="Other")
    elsewhere = make_reply(author=cast.other_member, thread=other)
    for post in (nested, elsewhere):
        with pytest.raises(ValidationError, match="Choose one of the answers"):
            accept_answer(actor=cast.member, thread=question, post=post)
    Post.objects.filter(pk=answer.pk).update(is_hidden=True)
    with pytest.raises(ValidationError, match="hidden"):
        accept_answer(actor=cast.member, thread=question, post=answer)
    assert Thread.objects.get(pk=question.pk).accepted_answer is None


def test_discussions_have_no_accepted_answer(cast):
    thread = make_thread(author=cast.member, community=cast.community, kind="discussion")
    reply = make_reply(author=cast.other_member, thread=thread)
    with pytest.raises(ValidationError, match="Only questions"):
        accept_answer(actor=cast.member, thread=thread, post=reply)


@pytest.mark.parametrize("who", ["moderator", "manager", "champion", "staff"])
def test_moderators_champions_and_staff_verify_answers(cast, question, who):
    answer = make_reply(author=cast.other_member, thread=question)
    mark_verified_answer(actor=getattr(cast, who), thread=question, post=answer)
    mark_verified_answer(actor=getattr(cast, who), thread=question, post=answer)
    question.refresh_from_db()
    assert question.verified_answer == answer
    assert question.verified_by == getattr(cast, who)


@pytest.mark.parametrize("who", ["member", "other_member", "outsider"])
def test_members_cannot_verify(cast, question, who):
    answer = make_reply(author=cast.other_member, thread=question)
    with pytest.raises(PermissionDenied):
        mark_verified_answer(actor=getattr(cast, who), thread=question, post=answer)
    assert Thread.objects.get(pk=question.pk).verified_answer is None


def test_a_verified_expert_in_a_tag_may_verify(cast, question):
    from communities.discussions.services.badges import grant_verified_expert

    assert not permissions.can(cast.other_member, "mark_verified_answer", question)
    grant_verified_expert(
        actor=cast.manager,
        community=cast.community,
        user=cast.other_member,
        tag_name=question.tags.first().name,
    )
    assert permissions.can(cast.other_member, "mark_verified_answer", question)
    assert not permissions.can(cast.outsider, "mark_verified_answer", question)


def test_accepted_then_verified_answers_come_first_and_are_marked(client, cast, question):
    make_reply(author=cast.other_member, thread=question, body="first answer")
    verified = make_reply(author=cast.champion, thread=question, body="verified answer")
    accepted = make_reply(author=cast.moderator, thread=question, body="accepted answer")
    accept_answer(actor=cast.member, thread=question, post=accepted)
    mark_verified_answer(actor=cast.moderator, thread=question, post=verified)
    client.force_login(cast.other_member)
    page = client.get(f"/c/{cast.community.slug}/t/{question.pk}/").content.decode()
    assert (
        page.index("accepted answer") < page.index("verified answer") < page.index("first answer")
    )
    assert "✓ Accepted answer" in page
    assert "★ Verified answer" in page
    listing = client.get(f"/c/{cast.community.slug}/t/").content.decode()
    assert "✓ Accepted" in listing
    assert "first answer" in page


def test_accept_and_verify_through_the_pages(client, cast, question):
    answer = make_reply(author=cast.other_member, thread=question)
    url = f"/c/{cast.community.slug}/t/{question.pk}/"
    client.force_login(cast.other_member)
    response = client.post(url + "accept/", {"post": answer.pk}, follow=True)
    assert "Only the person who asked" in response.content.decode()
    client.force_login(cast.member)
    assert "Accept this answer" in client.get(url).content.decode()
    client.post(url + "accept/", {"post": answer.pk})
    client.force_login(cast.moderator)
    client.post(url + "verify/", {"post": answer.pk})
    question.refresh_from_db()
    assert question.accepted_answer == answer == question.verified_answer


def test_a_champion_outside_a_circle_cannot_verify_its_threads(cast):
    from tests.communities.factories import make_circle_of as make_circle

    circle = make_circle(cast.community, cast.member, cast.other_member)
    thread = make_thread(author=cast.member, community=cast.community, circle=circle)
    answer = make_reply(author=cast.other_member, thread=thread)
    with pytest.raises(PermissionDenied, match="can't see"):
        mark_verified_answer(actor=cast.champion, thread=thread, post=answer)
    assert Thread.objects.get(pk=thread.pk).verified_answer is None
