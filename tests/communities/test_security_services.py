"""Services refuse people who may no longer take part, whoever calls them: a banned or
departed author can't rewrite their posts or accept answers, and a demoted manager's
scheduled prompt is not published in their name."""

import pytest
from django.core.exceptions import PermissionDenied

from communities.core.services.membership import ban_member, leave_community
from communities.discussions.services.posts import edit_post
from communities.discussions.services.threads import accept_answer, edit_thread
from communities.models import Post, Thread
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(settings):
    cast = Cast()
    question = make_thread(author=cast.member, community=cast.community, body="Original.")
    answer = make_reply(author=cast.other_member, thread=question, body="Answer.")
    own_reply = make_reply(author=cast.member, thread=question, parent=answer, body="Thanks.")
    return cast, question, answer, own_reply


def _end(cast, how):
    if how == "banned":
        ban_member(actor=cast.manager, community=cast.community, member=cast.member, reason="Spam.")
    else:
        leave_community(user=cast.member, community=cast.community)


@pytest.mark.parametrize("how", ["banned", "left"])
def test_author_no_longer_in_the_community_cannot_edit(story, how):
    cast, question, _answer, own_reply = story
    _end(cast, how)
    with pytest.raises(PermissionDenied):
        edit_thread(
            actor=cast.member, thread=question, title="Rewritten", body="Spam", tag_names=[]
        )
    with pytest.raises(PermissionDenied):
        edit_post(actor=cast.member, post=own_reply, body="Spam link")
    assert Thread.objects.get(pk=question.pk).body == "Original."
    assert Post.objects.get(pk=own_reply.pk).body == "Thanks."


def test_banned_author_gets_404_on_edit_pages(story, client):
    cast, question, _answer, own_reply = story
    _end(cast, "banned")
    client.force_login(cast.member)
    base = f"/c/{cast.community.slug}/t/{question.pk}"
    assert client.get(f"{base}/edit/").status_code == 404
    response = client.post(f"{base}/edit/", {"title": "X", "body": "Y", "kind": "question"})
    assert response.status_code == 404
    assert client.post(f"{base}/p/{own_reply.pk}/edit/", {"body": "Y"}).status_code == 404
    assert Thread.objects.get(pk=question.pk).title != "X"


def test_banned_asker_cannot_accept(story):
    cast, question, answer, _own = story
    _end(cast, "banned")
    with pytest.raises(PermissionDenied):
        accept_answer(actor=cast.member, thread=question, post=answer)
    assert Thread.objects.get(pk=question.pk).accepted_answer_id is None


def test_members_still_edit_and_accept(story):
    cast, question, answer, own_reply = story
    edit_thread(actor=cast.member, thread=question, title="Clearer", body="Better.", tag_names=[])
    edit_post(actor=cast.member, post=own_reply, body="Thanks again.")
    accept_answer(actor=cast.member, thread=question, post=answer)
    assert Thread.objects.get(pk=question.pk).accepted_answer_id == answer.pk


def test_a_demoted_managers_scheduled_prompt_is_not_published(settings):
    import datetime

    from django.utils import timezone

    from communities.core.services.membership import change_role
    from communities.discussions.models.prompts import PromptKind, PromptStatus
    from communities.discussions.services.prompts import create_prompt
    from communities.models import ScheduledPrompt
    from communities.tasks import publish_due_prompts

    cast = Cast()
    prompt = create_prompt(
        author=cast.manager,
        community=cast.community,
        kind=PromptKind.REFLECTIVE,
        title="Looking back on your first month",
        body="What surprised you most?",
        publish_at=timezone.now() + datetime.timedelta(hours=1),
    )
    change_role(actor=cast.staff, community=cast.community, member=cast.member, role="manager")
    change_role(actor=cast.staff, community=cast.community, member=cast.manager, role="member")
    ScheduledPrompt.objects.filter(pk=prompt.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert publish_due_prompts() == 0
    prompt.refresh_from_db()
    assert prompt.status == PromptStatus.FAILED
    assert "no longer manages" in prompt.failure_reason
    assert not Thread.objects.filter(kind="prompt").exists()
