"""One audit log, in words: every manager and moderator action is logged in the same
transaction as the action, each entry read as a sentence, filterable by action and person,
paged, and readable by the community's moderators and managers only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.core.models.communities import Stage
from communities.core.services import communities as community_services
from communities.core.services.joining import (
    approve_join_request,
    create_invitation_link,
    decline_join_request,
    invite_by_email,
    invite_user,
    request_to_join,
    revoke_invitation,
)
from communities.core.services.membership import change_role
from communities.discussions.models.prompts import PromptKind
from communities.discussions.services.prompts import cancel_prompt, create_prompt
from communities.discussions.services.threads import reveal_anonymous_author
from communities.models import AuditEntry, Community
from communities.moderation.audit import ACTIONS, sentence
from communities.moderation.services import actions
from tests.communities.factories import Cast, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def _last(community, action: str) -> AuditEntry:
    return AuditEntry.objects.filter(community=community, action=action).latest("pk")


def _words(entry: AuditEntry) -> str:
    text, reason = sentence(entry)
    return f"{text}: {reason}" if reason else text


def test_a_role_change_reads_as_a_sentence(client, cast):
    cast.manager.display_name = "Maya"
    cast.manager.save(update_fields=["display_name"])
    cast.member.display_name = "Tomás"
    cast.member.save(update_fields=["display_name"])
    change_role(
        actor=cast.manager,
        community=cast.community,
        member=cast.member,
        role="champion",
        reason="helps newcomers",
    )
    entry = _last(cast.community, "role_changed")
    assert _words(entry) == "Maya made Tomás a champion: helps newcomers"
    client.force_login(cast.manager)
    page = client.get(f"/c/{cast.community.slug}/moderation/audit/").content.decode()
    assert "Maya made Tomás a champion: helps newcomers" in page


def test_join_decisions_are_logged(restricted_cast):
    cast = restricted_cast
    first = request_to_join(
        user=UserFactory(display_name="Ines"),
        community=cast.community,
        message="Please.",
        agreed_to_guidelines=True,
    )
    approve_join_request(actor=cast.manager, join_request=first)
    entry = _last(cast.community, "join_approved")
    assert (entry.actor, entry.subject_user) == (cast.manager, first.user)
    assert _words(entry) == f"{cast.manager.public_name} let Ines in"
    second = request_to_join(
        user=UserFactory(), community=cast.community, message="Hi.", agreed_to_guidelines=True
    )
    decline_join_request(actor=cast.manager, join_request=second, message="Not a fit yet.")
    entry = _last(cast.community, "join_declined")
    assert entry.subject_user == second.user
    assert entry.reason == "Not a fit yet."
    assert "request to join: Not a fit yet." in _words(entry)


def test_invitations_created_and_withdrawn_are_logged(cast):
    link = create_invitation_link(
        actor=cast.manager, community=cast.community, expires_in_days=7, max_uses=3
    )
    assert _words(_last(cast.community, "invitation_created")).endswith(
        "created an invitation link (3 uses)"
    )
    by_email = invite_by_email(actor=cast.manager, community=cast.community, email="x@example.org")
    entry = _last(cast.community, "invitation_created")
    assert entry.target == by_email
    assert "x@example.org" not in _words(entry)  # the address stays on the invitations page
    invitee = UserFactory(display_name="Ravi")
    invite_user(actor=cast.manager, community=cast.community, invitee=invitee)
    assert _words(_last(cast.community, "invitation_created")).endswith(
        "created an invitation for Ravi"
    )
    revoke_invitation(actor=cast.manager, invitation=link)
    entry = _last(cast.community, "invitation_revoked")
    assert entry.target == link
    assert _words(entry).endswith("withdrew an invitation link (3 uses)")


def test_guideline_threshold_and_description_edits_are_logged(cast):
    community_services.update_community(
        actor=cast.manager,
        community=cast.community,
        guidelines="Be kinder.",
        flag_hide_threshold=5.0,
        purpose="A new purpose.",
    )
    community = Community.objects.get(pk=cast.community.pk)
    guidelines = _last(community, "guidelines_edited")
    assert guidelines.reason == f"version {community.guidelines_version}"
    threshold = _last(community, "threshold_changed")
    assert threshold.reason == "3 → 5"
    assert _words(threshold).endswith("changed the flag threshold: 3 → 5")
    assert _last(community, "community_edited").reason == "purpose"


def test_an_edit_that_changes_nothing_logs_nothing(cast):
    before = AuditEntry.objects.count()
    community_services.update_community(
        actor=cast.manager, community=cast.community, name=cast.community.name
    )
    assert AuditEntry.objects.count() == before


def test_a_stage_change_is_logged_with_its_reason(cast):
    community_services.change_stage(
        actor=cast.manager, community=cast.community, to_stage=Stage.COALESCING, reason="We meet."
    )
    entry = _last(cast.community, "stage_changed")
    assert entry.reason == "Potential → Coalescing: We meet."


def test_prompt_scheduling_and_cancelling_are_logged_once(cast):
    prompt = create_prompt(
        author=cast.manager,
        community=cast.community,
        kind=PromptKind.REFLECTIVE,
        title="Looking back on your first month",
        body="What surprised you most?",
        publish_at=timezone.now() + datetime.timedelta(hours=2),
    )
    entry = _last(cast.community, "prompt_scheduled")
    assert entry.target == prompt
    assert _words(entry).endswith("scheduled the prompt “Looking back on your first month”")
    cancel_prompt(actor=cast.manager, prompt=prompt)
    cancel_prompt(actor=cast.manager, prompt=prompt)
    assert AuditEntry.objects.filter(action="prompt_cancelled", target_id=prompt.pk).count() == 1


def test_a_reveal_is_in_words_without_naming_the_asker(cast):
    question = make_thread(author=cast.member, community=cast.community, is_anonymous=True)
    reveal_anonymous_author(actor=cast.staff, thread=question, reason="Abuse report")
    entry = _last(cast.community, "reveal_anonymous_author")
    words = _words(entry)
    assert words.startswith(f"{cast.staff.public_name} learned who asked the thread")
    assert cast.member.public_name not in words
    assert cast.member.username not in words


def test_the_entry_is_written_in_the_actions_transaction(cast, monkeypatch):
    """When the entry can't be written, the action doesn't happen either."""

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(AuditEntry.objects, "create", broken)
    with pytest.raises(RuntimeError):
        community_services.change_stage(
            actor=cast.manager, community=cast.community, to_stage=Stage.MATURING, reason="Ok."
        )
    with pytest.raises(RuntimeError):
        create_invitation_link(
            actor=cast.manager, community=cast.community, expires_in_days=7, max_uses=1
        )
    with pytest.raises(RuntimeError):
        community_services.update_community(
            actor=cast.manager, community=cast.community, flag_hide_threshold=9.0
        )
    community = Community.objects.get(pk=cast.community.pk)
    assert community.stage == Stage.POTENTIAL
    assert community.flag_hide_threshold == 3.0
    assert not community.invitations.exists()


def test_every_known_action_has_words():
    entry = AuditEntry(action="member_banned", reason="Spam")
    assert sentence(entry) == ("Trellis banned someone", "Spam")
    assert all(label and words for label, words in ACTIONS.values())


# The page: filters, paging, access ---------------------------------------------------------


def _audit(client, cast, **params):
    return client.get(f"/c/{cast.community.slug}/moderation/audit/", params).content.decode()


def test_filter_by_action_and_by_person(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    actions.set_thread_locked(actor=cast.moderator, thread=thread, locked=True, reason="Heated")
    change_role(
        actor=cast.manager, community=cast.community, member=cast.other_member, role="champion"
    )
    client.force_login(cast.moderator)
    locked_only = _audit(client, cast, action="lock_thread")
    assert 'data-action="lock_thread"' in locked_only
    assert 'data-action="role_changed"' not in locked_only
    by_person = _audit(client, cast, person=cast.other_member.username)
    assert 'data-action="role_changed"' in by_person
    assert 'data-action="lock_thread"' not in by_person
    both = _audit(client, cast, person=f"@{cast.moderator.username}", action="lock_thread")
    assert 'data-action="lock_thread"' in both
    nobody = _audit(client, cast, person="no-such-handle")
    assert "No entry matches these filters." in nobody
    ignored = _audit(client, cast, action="drop_tables")
    assert 'data-action="lock_thread"' in ignored  # an unknown action filters nothing


def test_the_page_is_paged_and_keeps_the_filters(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    for n in range(55):
        actions.set_thread_locked(
            actor=cast.moderator, thread=thread, locked=n % 2 == 0, reason=f"n{n}"
        )
    client.force_login(cast.manager)
    first = _audit(client, cast, action="lock_thread,unlock_thread")
    assert first.count('class="audit-entry"') == 50
    assert "?action=lock_thread%2Cunlock_thread&amp;page=2" in first
    second = _audit(client, cast, action="lock_thread,unlock_thread", page=2)
    assert second.count('class="audit-entry"') == 5


def _queries(client, cast, thread, rows: int) -> int:
    AuditEntry.objects.filter(community=cast.community).delete()
    posts = [make_reply(author=cast.other_member, thread=thread) for _ in range(2)]
    while AuditEntry.objects.filter(community=cast.community).count() < rows:
        actions.hide_content(actor=cast.moderator, thread=thread, post=posts[0], reason="y")
        actions.restore_content(actor=cast.moderator, thread=thread, post=posts[0], reason="y")
        change_role(
            actor=cast.manager, community=cast.community, member=cast.member, role="champion"
        )
        change_role(actor=cast.manager, community=cast.community, member=cast.member, role="member")
        create_invitation_link(
            actor=cast.manager, community=cast.community, expires_in_days=7, max_uses=2
        )
    url = f"/c/{cast.community.slug}/moderation/audit/?person={cast.manager.username}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_keeps_a_constant_number_of_queries(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    client.force_login(cast.moderator)
    assert _queries(client, cast, thread, 5) == _queries(client, cast, thread, 50)


@pytest.mark.parametrize("visibility", ["open", "private"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("pending", 404),
        ("member", 404),
        ("champion", 404),
        ("banned", 404),
        ("moderator", 200),
        ("manager", 200),
        ("staff", 200),
    ],
)
def test_who_reads_the_log(client, visibility, role, status):
    cast = Cast(visibility)
    change_role(actor=cast.manager, community=cast.community, member=cast.member, role="champion")
    if cast[role] is not None:
        client.force_login(cast[role])
    response = client.get(f"/c/{cast.community.slug}/moderation/audit/", {"action": "role_changed"})
    assert response.status_code == status
    if status != 200:
        assert b"made" not in response.content
        assert cast.community.name.encode() not in response.content or visibility == "open"
