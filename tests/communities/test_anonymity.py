"""An anonymous asker is shown to nobody but themselves, on any page or fragment."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.discussions.services.posts import edit_post
from communities.discussions.services.threads import reveal_anonymous_author
from communities.discussions.services.votes import vote
from communities.models import AuditEntry
from communities.moderation.services.actions import set_thread_locked
from communities.moderation.services.flags import flag_content
from tests.communities.factories import Cast, UserFactory, make_member, make_reply, make_thread

pytestmark = pytest.mark.django_db

NAME, HANDLE, EMAIL = "Zebulon Quillfeather", "zq_secret_asker", "zq.hidden@example.net"
REVEAL = "reveal_anonymous_author"
SECRETS = (NAME, HANDLE, EMAIL, "Zebulon", "Quillfeather", "zq.hidden")


@pytest.fixture
def story(settings):
    cast = Cast()
    cast.author = make_member(
        cast.community, UserFactory(display_name=NAME, username=HANDLE, email=EMAIL)
    )
    thread = make_thread(
        author=cast.author,
        community=cast.community,
        title="Is it normal to feel lost as a new facilitator",
        body="I ran my first session and froze. Anyone else?",
        tag_names=["facilitation"],
        is_anonymous=True,
    )
    answer = make_reply(author=cast.other_member, thread=thread, body="Yes, everyone freezes.")
    own_reply = make_reply(
        author=cast.author, thread=thread, parent=answer, body="Thanks, that helps a lot."
    )
    edit_post(actor=cast.author, post=own_reply, body="Thanks, that helps a lot (edited).")
    vote(voter=cast.author, post=answer)
    # Moderation touches the question too: a flag, a lock and an unlock in the audit log.
    flag_content(flagger=cast.other_member, thread=thread, reason="other", note="Check this")
    set_thread_locked(actor=cast.moderator, thread=thread, locked=True, reason="Cooling off")
    set_thread_locked(actor=cast.moderator, thread=thread, locked=False, reason="Calm again")
    return cast, thread, answer, own_reply


def _pages(cast, thread, answer, own_reply):
    c, t = cast.community.slug, thread.pk
    return [
        ("get", f"/c/{c}/t/", {}),
        ("get", f"/c/{c}/t/?status=unanswered", {}),
        ("get", f"/c/{c}/t/?tag=facilitation&sort=newest", {}),
        ("get", f"/c/{c}/t/{t}/", {}),
        ("get", f"/c/{c}/t/{t}/edit/", {}),
        ("get", f"/c/{c}/t/{t}/history/", {}),
        ("get", f"/c/{c}/t/{t}/reveal/", {}),
        ("get", f"/c/{c}/t/{t}/p/{own_reply.pk}/edit/", {}),
        ("get", "/search/?q=facilitator", {}),
        ("get", f"/search/?q=freezes&c={c}", {}),
        ("get", "/tags/suggest/?q=fac", {}),
        ("post", "/preview/markdown/", {"body": thread.body}),
        ("post", f"/c/{c}/t/{t}/p/{answer.pk}/vote/", {"hx": True}),
        ("post", f"/c/{c}/t/{t}/p/{own_reply.pk}/thank/", {"hx": True}),
        # Notifications and follows
        ("get", "/notifications/", {}),
        ("get", f"/c/{c}/t/?followed=1", {}),
        ("post", f"/c/{c}/t/{t}/follow/", {"hx": True}),
        ("post", f"/c/{c}/follow/", {"hx": True}),
        ("post", "/tags/facilitation/follow/", {"hx": True}),
        # The community page (recent threads, rising stars) and moderation
        ("get", f"/c/{c}/", {}),
        ("get", f"/c/{c}/t/{t}/flag/", {}),
        ("get", f"/c/{c}/moderation/", {}),
        ("get", f"/c/{c}/moderation/t/{t}/", {}),
        ("get", f"/c/{c}/moderation/audit/", {}),
        ("get", "/moderation/outcomes/", {}),
    ]


def _render_all(client, viewer, pages):
    if isinstance(viewer, AnonymousUser):
        client.logout()
    else:
        client.force_login(viewer)
    rendered = []
    for method, url, data in pages:
        hx = {"HX-Request": "true"} if data.pop("hx", False) else {}
        response = getattr(client, method)(url, data, headers=hx)
        rendered.append((url, response.status_code, response.content.decode()))
    return rendered


@pytest.mark.parametrize(
    "role", ["anonymous", "outsider", "member", "other_member", "moderator", "manager", "staff"]
)
def test_nobody_else_sees_who_asked_on_any_page(client, story, role):
    cast, thread, answer, own_reply = story
    viewer = AnonymousUser() if role == "anonymous" else getattr(cast, role)
    rendered = _render_all(client, viewer, _pages(cast, thread, answer, own_reply))
    assert any(status == 200 and "Anonymous member" in body for _, status, body in rendered)
    for url, _status, body in rendered:
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} leaked on {url} to {role}"
    profile = client.get(f"/people/{HANDLE}/").content.decode()
    assert thread.title not in profile


def test_the_asker_sees_themselves(client, story):
    cast, thread, answer, own_reply = story
    rendered = _render_all(client, cast.author, _pages(cast, thread, answer, own_reply))
    detail = next(body for url, _, body in rendered if url.endswith(f"/t/{thread.pk}/"))
    assert NAME in detail


def test_staff_reveal_only_through_the_audited_action(client, story):
    cast, thread, *_ = story
    client.force_login(cast.staff)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/reveal/"
    response = client.post(url, {"reason": ""})
    assert "Say why you need to know" in response.content.decode()
    assert not AuditEntry.objects.filter(action=REVEAL).exists()
    response = client.post(url, {"reason": "Repeated abusive questions reported"})
    assert NAME in response.content.decode()
    entry = AuditEntry.objects.get(action=REVEAL)
    assert entry.actor == cast.staff
    assert entry.action == "reveal_anonymous_author"
    assert entry.target == thread
    assert entry.subject_user is None
    assert reveal_anonymous_author(actor=cast.staff, thread=thread, reason="again") == cast.author


def test_moderators_cannot_reveal(client, story):
    from django.core.exceptions import PermissionDenied

    cast, thread, *_ = story
    with pytest.raises(PermissionDenied):
        reveal_anonymous_author(actor=cast.moderator, thread=thread, reason="curious")
    client.force_login(cast.moderator)
    url = f"/c/{cast.community.slug}/t/{thread.pk}/reveal/"
    assert client.post(url, {"reason": "curious"}).status_code == 404
    assert not AuditEntry.objects.filter(action=REVEAL).exists()


def test_templates_name_authors_only_through_the_shown_author():
    """The safe author is decided in the selector; templates never reach for `.author`."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    files = [*root.glob("communities/threads/*.html"), *root.glob("components/*.html")]
    for path in files:
        text = path.read_text()
        assert ".author." not in text, path
        assert ".author }}" not in text, path


@pytest.mark.parametrize(
    "role", ["outsider", "member", "other_member", "champion", "moderator", "manager", "staff"]
)
def test_notifications_and_emails_never_name_the_anonymous_asker(
    client, settings, role, django_capture_on_commit_callbacks, mailoutbox
):
    """Mentions, replies, follows and the asker's accept reach people as "Anonymous member"."""
    from communities.discussions.services.follows import set_community_follow, set_tag_follow
    from communities.discussions.services.threads import accept_answer
    from communities.models import Notification

    cast = Cast()
    author = make_member(
        cast.community, UserFactory(display_name=NAME, username=HANDLE, email=EMAIL)
    )
    set_community_follow(user=cast.manager, community=cast.community, follow=True)
    set_tag_follow(user=cast.staff, tag_name="facilitation", follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(
            author=author,
            community=cast.community,
            body=f"@{cast.member.username} @{cast.moderator.username} how do you cope?",
            is_anonymous=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        answer = make_reply(author=cast.other_member, thread=thread, body="Breathe first.")
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(
            author=author,
            thread=thread,
            parent=answer,
            body=f"Thanks! @{cast.champion.username} agree?",
        )
    accept_answer(actor=author, thread=thread, post=answer)
    assert Notification.objects.exclude(recipient=author).filter(actor=author).count() == 0
    viewer = getattr(cast, role)
    client.force_login(viewer)
    page = client.get("/notifications/").content.decode()
    if role not in ("outsider",):
        assert "Anonymous member" in page
    for secret in SECRETS:
        assert secret not in page, f"{secret!r} leaked on /notifications/ to {role}"
    assert len(mailoutbox) >= 3
    for mail in mailoutbox:
        text = " ".join([mail.subject, mail.body, *(html for html, _ in mail.alternatives)])
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked in an email to {mail.to}"
