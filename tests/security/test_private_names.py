"""Finding 3: a community is named only to people who may know it exists.

A moderator moves a thread from an open community into a private one and acts on it there.
The flagger and the author (not members of the private one), and managers of the open one
who are not members there, must not learn its name from any page, email, notice or audit
entry; people who belong there (and staff) still read it.
"""

import pytest
from django.urls import reverse

from communities.core.models.communities import Role, Visibility
from communities.moderation.services import actions
from tests.communities.factories import (
    Cast,
    flag,
    make_member,
    make_thread,
    new_community,
)

pytestmark = pytest.mark.django_db

SECRET = "Hideaway Council"


class Story:
    def __init__(self, mailoutbox, capture):
        self.cast = cast = Cast(Visibility.OPEN)
        self.hideaway = new_community(name=SECRET, visibility=Visibility.PRIVATE)
        make_member(self.hideaway, cast.moderator, role=Role.MODERATOR)
        # A manager of the open community who also belongs to the private one.
        self.insider = make_member(cast.community, role=Role.MANAGER)
        make_member(self.hideaway, self.insider)
        self.thread = make_thread(
            author=cast.other_member, community=cast.community, title="Budget question"
        )
        flag(cast.member, self.thread)
        with capture(execute=True):
            actions.move_thread(
                actor=cast.moderator, thread=self.thread, to_community=self.hideaway, reason="Fits"
            )
        self.thread.refresh_from_db()
        with capture(execute=True):
            actions.warn_member(actor=cast.moderator, thread=self.thread, message="Mind the tone.")
        with capture(execute=True):
            actions.hide_content(actor=cast.moderator, thread=self.thread, reason="Off-topic.")
        self.mail = list(mailoutbox)

    def mail_to(self, user) -> str:
        return "\n".join(
            f"{message.subject}\n{message.body}"
            for message in self.mail
            if user.email in message.to
        )


@pytest.fixture
def story(mailoutbox, django_capture_on_commit_callbacks):
    return Story(mailoutbox, django_capture_on_commit_callbacks)


def test_the_story_sends_the_flagger_and_the_author_their_news(story):
    assert "Your flag was upheld" in story.mail_to(story.cast.member)
    assert "Mind the tone." in story.mail_to(story.cast.other_member)


@pytest.mark.parametrize("role", ["member", "other_member"])
def test_my_moderation_news_never_names_the_private_community(story, client, role):
    client.force_login(story.cast[role])
    html = client.get(reverse("communities:moderation-outcomes")).content.decode()
    assert "Your flag was upheld" in html or "Mind the tone." in html
    assert SECRET not in html


@pytest.mark.parametrize("role", ["member", "other_member"])
def test_moderation_emails_never_name_the_private_community(story, role):
    mail = story.mail_to(story.cast[role])
    assert mail
    assert SECRET not in mail


def test_the_warning_says_who_warned_without_the_name(story):
    mail = story.mail_to(story.cast.other_member)
    assert "A warning from the moderators" in mail
    assert "Mind the tone." in mail


def _audit(client, user, community) -> str:
    client.force_login(user)
    response = client.get(reverse("communities:moderation-audit", args=[community.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_source_audit_log_hides_the_name_from_managers_who_are_not_members_there(story, client):
    html = _audit(client, story.cast.manager, story.cast.community)
    assert "Moved to another community" in html
    assert SECRET not in html
    assert "Fits" in html  # the moderator's reason is still there


@pytest.mark.parametrize("who", ["insider", "staff"])
def test_the_source_audit_log_names_it_to_those_who_know_it(story, client, who):
    user = story.insider if who == "insider" else story.cast.staff
    html = _audit(client, user, story.cast.community)
    assert f"Moved to {SECRET}" in html


def test_the_destination_audit_log_names_the_open_source(story, client):
    manager = story.hideaway.memberships.get(role=Role.MANAGER).user
    html = _audit(client, manager, story.hideaway)
    assert f"Moved from {story.cast.community.name}" in html


def test_a_private_source_stays_unnamed_in_the_destination_audit_log(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    cast = Cast(Visibility.PRIVATE)
    cast.community.name = SECRET
    cast.community.save(update_fields=["name"])
    elsewhere = new_community(visibility=Visibility.OPEN)
    make_member(elsewhere, cast.moderator, role=Role.MODERATOR)
    thread = make_thread(author=cast.member, community=cast.community)
    actions.move_thread(actor=cast.moderator, thread=thread, to_community=elsewhere, reason="Go")
    html = _audit(client, elsewhere.memberships.get(role=Role.MANAGER).user, elsewhere)
    assert "Moved from another community" in html
    assert SECRET not in html


# The access matrix, extended with moved content: the thread's new and old addresses and the
# pages that talk about it, from every role of the open community it left. It is hidden
# too, so only moderators there and staff read it.
#                  anon out  pend memb other mod  mgr  ban  staff insider
NEW_ADDRESS = "    404  404  404  404  404   200  404  404  200   404"
OLD_ADDRESS = "    404  404  404  404  404   404  404  404  404   404"
PEOPLE = [
    "anonymous",
    "outsider",
    "pending",
    "member",
    "other_member",
    "moderator",
    "manager",
    "banned",
    "staff",
    "insider",
]
PAGES = ["/moderation/outcomes/", "/notifications/", "/search/?q=Budget", "/c/"]


def _person(story, who):
    return story.insider if who == "insider" else story.cast[who]


def _sign_in(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)


def _may_know(who) -> bool:
    return who in ("moderator", "staff", "insider")


def test_moved_content_from_every_role(story, client):
    for who, new, old in zip(PEOPLE, NEW_ADDRESS.split(), OLD_ADDRESS.split(), strict=True):
        _sign_in(client, _person(story, who))
        new_url = reverse("communities:thread-detail", args=[story.hideaway.slug, story.thread.pk])
        old_url = reverse(
            "communities:thread-detail", args=[story.cast.community.slug, story.thread.pk]
        )
        got = client.get(new_url)
        assert got.status_code == int(new), f"{who} at the new address"
        assert client.get(old_url).status_code == int(old), f"{who} at the old address"
        if not _may_know(who):
            assert SECRET not in got.content.decode(), who
        for page in PAGES:
            response = client.get(page)
            assert response.status_code in (200, 302), f"{who} on {page}"
            if not _may_know(who):
                assert SECRET not in response.content.decode(), f"{who} on {page}"


def test_earlier_move_entries_are_split_so_their_names_follow_the_same_rule():
    import importlib

    from django.apps import apps

    from communities.models import AuditEntry

    migration = importlib.import_module("communities.migrations.0015_seca_audit_and_invitations")
    cast = Cast(Visibility.OPEN)
    hideaway = new_community(name=SECRET, visibility=Visibility.PRIVATE)
    thread = make_thread(author=cast.member, community=cast.community)
    for community, other, word in (
        (cast.community, hideaway, "to"),
        (hideaway, cast.community, "from"),
    ):
        AuditEntry.objects.create(
            community=community,
            actor=cast.manager,
            action="move_thread",
            target=thread,
            reason=f"Moved {word} {other.name}: Belongs there.",
        )
    migration.split_move_entries(apps, None)
    out = AuditEntry.objects.get(community=cast.community, action="move_thread")
    into = AuditEntry.objects.get(community=hideaway, action="move_thread_in")
    assert (out.reason, out.related_community) == ("Belongs there.", hideaway)
    assert (into.reason, into.related_community) == ("Belongs there.", cast.community)
    migration.join_move_entries(apps, None)
    assert AuditEntry.objects.get(community=hideaway).reason == (
        f"Moved from {cast.community.name}: Belongs there."
    )
