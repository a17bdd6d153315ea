"""A harvested draft is a proposal for the knowledge base: the people who act on it (the
knowledge editors, who publish, and the source community's managers, who edit and submit it)
find it on their notifications page, once, and nobody else does."""

import pytest

from communities.models import Notification
from communities.public import Role, Visibility
from knowledge.services import harvest_thread
from tests.communities.factories import (
    UserFactory,
    add_member,
    manager_of,
    new_community,
)
from tests.knowledge.factories import make_editor, solved_thread

pytestmark = pytest.mark.django_db


def _notices(event_prefix="knowledge:harvest:"):
    return Notification.objects.filter(event__startswith=event_prefix).select_related("recipient")


def test_editors_and_managers_hear_of_a_champions_harvest_once_and_nobody_else():
    community = new_community(visibility=Visibility.PRIVATE)
    manager = manager_of(community)
    second_manager = add_member(community, role=Role.MANAGER)
    champion = add_member(community, role=Role.CHAMPION)
    moderator = add_member(community, role=Role.MODERATOR)
    member = add_member(community)
    editor = make_editor()
    staff = UserFactory(is_staff=True)
    outsider = UserFactory()
    asker = add_member(community)
    thread = solved_thread(community, asker=asker, anonymous=True, title="A delicate question")

    article = harvest_thread(thread, by=champion)
    again = harvest_thread(thread, by=champion)  # a double click: the same draft

    assert again.pk == article.pk
    notices = list(_notices())
    assert {n.recipient for n in notices} == {manager, second_manager, editor}
    for person in (champion, moderator, member, staff, outsider, asker):
        assert not Notification.objects.filter(recipient=person, event__startswith="knowledge")
    for notice in notices:
        assert notice.event == f"knowledge:harvest:{article.pk}"
        assert notice.url == f"/cms/pages/{article.pk}/edit/"
        assert notice.message == (
            f"A harvested draft from {community.name} waits for review: “A delicate question”."
        )
        # The anonymous asker, the harvester and the answers are never in the notice.
        assert asker.public_name not in notice.message
        assert champion.public_name not in notice.message
        assert notice.actor_id is None


def test_the_harvester_is_not_told_of_their_own_draft():
    community = new_community(visibility=Visibility.OPEN)
    manager = manager_of(community)
    editor = make_editor()
    article = harvest_thread(solved_thread(community), by=manager)
    assert [n.recipient for n in _notices()] == [editor]
    assert _notices().get().event == f"knowledge:harvest:{article.pk}"


def test_a_refused_harvest_leaves_no_notice():
    community = new_community(visibility=Visibility.OPEN)
    manager_of(community)
    make_editor()
    member = add_member(community)
    thread = solved_thread(community)
    with pytest.raises(Exception, match="permission"):
        harvest_thread(thread, by=member)
    assert not _notices().exists()


def test_a_long_community_name_and_title_still_fit_one_notice():
    community = new_community(visibility=Visibility.OPEN)
    community.name = "N" * 120
    community.save(update_fields=["name"])
    make_editor()
    harvest_thread(solved_thread(community, title="T" * 200), by=manager_of(community))
    notice = _notices().get()
    assert len(notice.message) <= 200


def test_a_draft_submitted_to_the_editors_review_reaches_the_other_editors_once():
    community = new_community(visibility=Visibility.OPEN)
    manager = manager_of(community)
    first, second = make_editor(), make_editor()
    member = add_member(community)
    draft = harvest_thread(solved_thread(community, title="Retro formats"), by=manager)
    Notification.objects.all().delete()
    draft = draft.specific_class.objects.get(pk=draft.pk)
    draft.get_workflow().start(draft, first)
    notices = list(_notices("knowledge:review:"))
    assert [n.recipient for n in notices] == [second]
    assert notices[0].message == "“Retro formats” waits for your approval in the knowledge base."
    assert notices[0].url == f"/cms/pages/{draft.pk}/edit/"
    for person in (first, manager, member):
        assert not Notification.objects.filter(recipient=person).exists()
