import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.core.models.communities import Visibility
from communities.models import AuditEntry
from communities.moderation.services import actions
from tests.communities.factories import Cast, flag, make_reply, make_thread


@pytest.fixture
def cast(db, settings):
    return Cast(Visibility.PRIVATE)


@pytest.fixture
def thread(cast):
    return make_thread(author=cast.member, community=cast.community)


@pytest.fixture
def post(cast, thread):
    return make_reply(author=cast.other_member, thread=thread)


def test_every_moderation_action_writes_an_entry(cast, thread, post):
    moderator = cast.moderator
    flag(cast.member, thread, post)
    actions.hide_content(actor=moderator, thread=thread, post=post, reason="r1")
    actions.restore_content(actor=moderator, thread=thread, post=post, reason="r2")
    actions.set_thread_locked(actor=moderator, thread=thread, locked=True, reason="r3")
    actions.warn_member(actor=moderator, thread=thread, post=post, message="r4")
    actions.ban_author(actor=moderator, thread=thread, post=post, reason="r5")
    entries = {entry.action: entry for entry in AuditEntry.objects.all()}
    assert set(entries) >= {
        "hide_post",
        "uphold_flags",
        "restore_post",
        "lock_thread",
        "warn_member",
        "member_banned",
    }
    assert entries["hide_post"].actor == moderator
    assert entries["hide_post"].target == post
    assert entries["hide_post"].reason == "r1"
    assert AuditEntry.objects.filter(
        action="member_banned", subject_user=cast.other_member
    ).exists()


ROLES = ["anonymous", "outsider", "member", "moderator", "manager", "staff"]
PAGES = {
    # page: the roles that may open it; everyone else gets 404
    "moderation/": {"moderator", "manager", "staff"},
    "moderation/audit/": {"moderator", "manager", "staff"},
    "moderation/experts/": {"manager", "staff"},
    "moderation/t/{thread}/": {"moderator", "manager", "staff"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_who_may_open_the_moderation_pages(client, cast, thread, role, page):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    url = f"/c/{cast.community.slug}/" + page.format(thread=thread.pk)
    response = client.get(url)
    if role in PAGES[page]:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302  # to sign in; the private community stays hidden
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["outsider", "member", "moderator"])
def test_moderation_actions_are_hidden_from_those_without_the_right(client, cast, thread, role):
    client.force_login(getattr(cast, role))
    response = client.post(
        f"/c/{cast.community.slug}/moderation/act/",
        {"thread": thread.pk, "action": "lock", "reason": "x"},
    )
    if role == "moderator":
        assert response.status_code == 302
    else:
        assert response.status_code == 404
        assert not AuditEntry.objects.filter(action="lock_thread").exists()


def test_managers_read_the_log(client, cast, thread, post):
    actions.hide_content(actor=cast.moderator, thread=thread, post=post, reason="Off topic here")
    client.force_login(cast.manager)
    html = client.get(f"/c/{cast.community.slug}/moderation/audit/").content.decode()
    assert "hide_post" in html
    assert "Off topic here" in html
    assert cast.moderator.public_name in html


def test_the_log_never_names_an_anonymous_asker(client, cast):
    question = make_thread(author=cast.member, community=cast.community, is_anonymous=True)
    actions.hide_content(actor=cast.moderator, thread=question, reason="Duplicate")
    entry = AuditEntry.objects.get(action="hide_thread")
    assert entry.subject_user is None
    client.force_login(cast.manager)
    html = client.get(f"/c/{cast.community.slug}/moderation/audit/").content.decode()
    assert cast.member.public_name not in html
    assert cast.member.username not in html


def _log_queries(client, cast, thread, rows: int) -> int:
    # The cast's own setup already logs invitations and role changes; every size also holds
    # moderation entries, so both pages load the same kinds of target.
    first = True
    while first or AuditEntry.objects.count() < rows:
        first = False
        post = make_reply(author=cast.other_member, thread=thread)
        actions.hide_content(actor=cast.moderator, thread=thread, post=post, reason="y")
        for locked in (True, False):
            actions.set_thread_locked(
                actor=cast.moderator, thread=thread, locked=locked, reason="x"
            )
    client.force_login(cast.manager)
    url = f"/c/{cast.community.slug}/moderation/audit/"
    client.get(url)  # fills the process-wide content type cache, which is not per page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_log_keeps_a_constant_number_of_queries(client, cast, thread):
    small = _log_queries(client, cast, thread, 5)
    large = _log_queries(client, cast, thread, 50)
    assert small == large
