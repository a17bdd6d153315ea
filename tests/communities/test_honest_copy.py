"""Copy that tells people the truth: who can learn an anonymous asker, what a hidden reply was."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.core.models.communities import Visibility
from communities.core.services.joining import create_invitation_link, revoke_invitation
from communities.models import Invitation, Notification, Post
from communities.tasks import send_notification_email
from tests.communities.factories import Cast, make_reply, make_thread, manager_of, new_community

pytestmark = pytest.mark.django_db


def test_the_anonymous_checkbox_says_only_staff_can_learn_who_asked(client, cast):
    client.force_login(cast.member)
    page = client.get(f"/c/{cast.community.slug}/t/new/").content.decode()
    assert "Ask anonymously (questions only)" in page
    assert (
        '<span class="helptext" id="id_is_anonymous_helptext">Other members, moderators and '
        "managers never see that it was you. Only staff can ever learn who asked, through an "
        "audited reveal, and only for abuse.</span>"
    ) in page
    assert 'aria-describedby="id_is_anonymous_helptext"' in page
    assert "nobody else, moderators included" not in page


def test_a_hidden_reply_leaves_a_placeholder_that_tells_nothing_of_it(client):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community, is_anonymous=True)
    answer = make_reply(author=cast.other_member, thread=thread, body="Rude words here")
    follow_up = make_reply(
        author=cast.champion, thread=thread, body="Let us keep it kind.", parent=answer
    )
    later = make_reply(author=cast.champion, thread=thread, body="A calmer answer.")
    Post.objects.filter(pk=answer.pk).update(is_hidden=True)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/"
    placeholder = (
        f'<article class="post post--hidden post--placeholder" id="post-{answer.pk}">'
        '<p class="muted">This reply was hidden by a moderator.</p>'
    )
    for viewer in (None, cast.member, cast.other_member, cast.champion):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert placeholder in page
        assert "Rude words here" not in page
        assert f"{url}p/{answer.pk}/" not in page  # no vote, thank, edit or flag for it
        assert f'name="parent" value="{answer.pk}"' not in page
        assert "Let us keep it kind." in page
        assert "A calmer answer." in page
        assert page.count("hidden by a moderator") == 1
        assert f"post-{later.pk}" in page
        assert f"post-{follow_up.pk}" in page
        if viewer != cast.other_member:
            assert cast.other_member.public_name not in page
    for viewer in (cast.moderator, cast.manager, cast.staff):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Rude words here" in page
        assert "hidden by moderators" in page
        assert "hidden by a moderator." not in page


def test_only_invitations_still_open_offer_withdraw(client):
    community = new_community(visibility=Visibility.PRIVATE)
    manager = manager_of(community)

    def link(**options):
        values = {"expires_in_days": 7, "max_uses": 1, **options}
        return create_invitation_link(actor=manager, community=community, **values)

    open_one, used_up, expired, withdrawn = link(), link(), link(), link()
    Invitation.objects.filter(pk=used_up.pk).update(use_count=1)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoke_invitation(actor=manager, invitation=withdrawn)
    client.force_login(manager)
    page = client.get(reverse("communities:invitation-list", args=[community.slug]))
    html = page.content.decode()
    revoke = "communities:invitation-revoke"
    assert reverse(revoke, args=[community.slug, open_one.pk]) in html
    for closed in (used_up, expired, withdrawn):
        assert reverse(revoke, args=[community.slug, closed.pk]) not in html
    assert html.count(">Withdraw</button>") == 1
    assert "Used up" in html
    assert "Expired" in html


def test_an_answer_notifies_as_an_answer_on_the_page_and_in_the_email(client, mailoutbox):
    cast = Cast()
    question = make_thread(author=cast.member, community=cast.community, kind="question")
    answer = make_reply(author=cast.other_member, thread=question, body="Try a silent round.")
    make_reply(author=cast.member, thread=question, body="Thanks, how long?", parent=answer)
    talk = make_thread(author=cast.member, community=cast.community, kind="discussion")
    make_reply(author=cast.other_member, thread=talk, body="Agreed.")

    client.force_login(cast.member)
    page = client.get("/notifications/").content.decode()
    assert page.count("answered your question") == 1
    assert page.count("replied to you in") == 1  # the discussion reply stays a reply
    client.force_login(cast.other_member)
    page = client.get("/notifications/").content.decode()
    assert "replied to you in" in page  # a reply to an answer is no answer
    assert "answered your question" not in page

    answered = Notification.objects.get(recipient=cast.member, post=answer)
    assert send_notification_email(answered.pk) is True
    email = mailoutbox[-1]
    assert (
        email.subject
        == f"{cast.other_member.public_name} answered your question “{question.title}”"
    )
    assert "answered your question" in email.body
    assert "replied" not in email.body
    assert "answered your question" in email.alternatives[0][0]


@pytest.mark.parametrize("page", ["community", "threads", "thread", "prompts", "home"])
def test_a_discussion_is_called_a_thread_everywhere(client, page):
    cast = Cast()
    thread = make_thread(author=cast.member, community=cast.community)
    slug = cast.community.slug
    url, viewer = {
        "community": (f"/c/{slug}/", cast.member),
        "threads": (f"/c/{slug}/t/", cast.member),
        "thread": (f"/c/{slug}/t/{thread.pk}/", cast.member),
        "prompts": (reverse("communities:prompt-list", args=[slug]), cast.manager),
        "home": ("/", None),
    }[page]
    if viewer is not None:
        client.force_login(viewer)
    html = client.get(url).content.decode()
    assert "conversation" not in html.lower()
    assert "thread" in html.lower()
