"""The knowledge base in the browser's terms: thread panel, harvest form, helpful, follow,
the editors' group and workflow, and the admin's queue and audience actions."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from communities.public import Role, Visibility
from knowledge.models import (
    ArticleFeedback,
    ArticlePage,
    Audience,
    KnowledgeFollow,
    KnowledgeHomePage,
)
from knowledge.permissions import EDITORS_GROUP
from tests.communities.factories import (
    UserFactory,
    add_member,
    make_thread,
    manager_of,
    new_community,
)
from tests.knowledge.factories import article, make_editor, publish, solved_thread, topic

pytestmark = pytest.mark.django_db


def thread_url(thread):
    return reverse("communities:thread-detail", args=[thread.community.slug, thread.pk])


def test_the_thread_panel_offers_harvest_to_those_allowed_and_links_the_article(client_for):
    community = new_community(visibility=Visibility.OPEN)
    thread = solved_thread(community)
    manager, member = manager_of(community), add_member(community)
    harvest_url = reverse("knowledge:harvest", args=[thread.pk])

    assert harvest_url not in client_for(member).get(thread_url(thread)).content.decode()
    page = client_for(manager).get(thread_url(thread)).content.decode()
    assert "Harvest to knowledge base" in page
    assert harvest_url in page

    response = client_for(manager).post(harvest_url)
    draft = ArticlePage.objects.get(sources__thread=thread)
    assert response.status_code == 302
    # Managers edit their community's drafts in the Wagtail admin: they land on the draft.
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    # A moderator has no admin access: back to the thread, with the draft waiting there.
    other = solved_thread(community, title="Another solved question")
    moderator = add_member(community, role=Role.MODERATOR)
    response = client_for(moderator).post(reverse("knowledge:harvest", args=[other.pk]))
    assert response["Location"] == thread_url(other)
    page = client_for(manager).get(thread_url(thread)).content.decode()
    assert "waiting for editors" in page
    assert draft.url not in client_for(member).get(thread_url(thread)).content.decode()

    published = publish(draft)
    page = client_for(member).get(thread_url(thread)).content.decode()
    assert "Harvested into" in page
    assert published.url in page


def test_an_editor_lands_on_the_draft_in_the_admin():
    community = new_community(visibility=Visibility.OPEN)
    thread = solved_thread(community)
    client = Client()
    client.force_login(make_editor())
    response = client.post(reverse("knowledge:harvest", args=[thread.pk]))
    draft = ArticlePage.objects.get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_refused_harvest_says_why_and_writes_nothing(client_for):
    community = new_community(visibility=Visibility.OPEN)
    thread = make_thread(author=add_member(community), community=community)
    champion = add_member(community, role=Role.CHAMPION)
    response = client_for(champion).post(
        reverse("knowledge:harvest", args=[thread.pk]), follow=True
    )
    assert "accepted or verified answer" in response.content.decode()
    assert ArticlePage.objects.count() == 0


def test_harvest_needs_csrf_and_post(client_for):
    community = new_community(visibility=Visibility.OPEN)
    thread = solved_thread(community)
    manager = manager_of(community)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    assert strict.post(reverse("knowledge:harvest", args=[thread.pk])).status_code == 403
    assert (
        client_for(manager).get(reverse("knowledge:harvest", args=[thread.pk])).status_code == 405
    )
    assert ArticlePage.objects.count() == 0


def test_private_threads_answer_404_to_a_harvest_by_outsiders(client_for):
    private = new_community(visibility=Visibility.PRIVATE)
    thread = solved_thread(private)
    response = client_for(UserFactory()).post(reverse("knowledge:harvest", args=[thread.pk]))
    assert response.status_code == 404
    assert ArticlePage.objects.count() == 0


def test_members_say_whether_it_helped_and_may_change_their_answer(client_for):
    community = new_community(visibility=Visibility.OPEN)
    page = article(topic(), source_community=community)
    member = add_member(community)
    client = client_for(member)
    url = reverse("knowledge:feedback", args=[page.pk])

    client.post(url, {"helpful": "no", "note": "The timer link is broken."})
    page.refresh_from_db()
    assert (page.helpful_count, page.unhelpful_count) == (0, 1)
    assert ArticleFeedback.objects.get().note == "The timer link is broken."

    client.post(url, {"helpful": "yes"})
    page.refresh_from_db()
    assert (page.helpful_count, page.unhelpful_count) == (1, 0)
    assert ArticleFeedback.objects.count() == 1
    assert "You said it helped" in client.get(page.url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Choose"), ({"helpful": "yes", "note": "x" * 1001}, "under 1,000 characters")],
)
def test_bad_feedback_gets_a_clear_message_and_writes_nothing(client_for, data, message):
    page = article(topic())
    response = client_for(UserFactory()).post(
        reverse("knowledge:feedback", args=[page.pk]), data, follow=True
    )
    assert message in response.content.decode()
    assert ArticleFeedback.objects.count() == 0
    page.refresh_from_db()
    assert page.helpful_count == 0


def test_follow_and_unfollow_an_article_and_a_topic(client_for):
    facilitation = topic()
    page = article(facilitation)
    person = UserFactory()
    client = client_for(person)
    for target in (page, facilitation):
        url = reverse("knowledge:follow", args=[target.pk])
        client.post(url, {"action": "follow"})
        client.post(url, {"action": "follow"})
        assert KnowledgeFollow.objects.filter(user=person, page_id=target.pk).count() == 1
        assert "Following" in client.get(target.url).content.decode()
        client.post(url, {"action": "unfollow"})
        assert not KnowledgeFollow.objects.filter(user=person, page_id=target.pk).exists()


def test_the_editor_group_and_the_review_workflow_exist_on_the_knowledge_home():
    home = KnowledgeHomePage.objects.get()
    editors = Group.objects.get(name=EDITORS_GROUP)
    assert editors.permissions.filter(codename="access_admin").exists()
    workflow = home.get_workflow()
    assert workflow == Workflow.objects.get(name="Editor review")
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [editors]


def test_a_draft_is_published_only_after_an_editor_approves_it_in_the_workflow():
    community = new_community(visibility=Visibility.OPEN)
    from knowledge.services import harvest_thread

    draft = harvest_thread(solved_thread(community), by=manager_of(community))
    editor = make_editor()
    draft = ArticlePage.objects.get(pk=draft.pk)
    workflow_state = draft.get_workflow().start(draft, editor)
    draft.refresh_from_db()
    assert not draft.live
    task_state = workflow_state.current_task_state
    assert task_state.task.specific.user_can_access_editor(draft, editor)
    assert not task_state.task.specific.user_can_access_editor(draft, UserFactory())
    task_state.task.specific.on_action(task_state, editor, "approve")
    draft.refresh_from_db()
    assert draft.live


def test_the_admin_queue_lists_what_needs_review_and_its_actions_work():
    editor = make_editor()
    page = article(topic(), owner=editor)
    ArticlePage.objects.filter(pk=page.pk).update(
        review_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("knowledge_admin:needs-review"))
    assert response.status_code == 200
    assert "past its review date" in response.content.decode()
    client.post(reverse("knowledge_admin:verify", args=[page.pk]))
    page.refresh_from_db()
    assert page.review_on > timezone.localdate()
    client.post(reverse("knowledge_admin:obsolete", args=[page.pk]))
    page.refresh_from_db()
    assert page.is_obsolete


def test_opening_an_article_to_everyone_needs_an_explicit_choice():
    community = new_community(visibility=Visibility.PRIVATE)
    page = article(topic(), source_community=community)
    editor = make_editor()
    client = Client()
    client.force_login(editor)
    url = reverse("knowledge_admin:audience", args=[page.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "open"})
    assert "Tick the box" in response.content.decode()
    page.refresh_from_db()
    assert page.audience == Audience.SOURCE_COMMUNITY
    client.post(url, {"action": "open", "confirm": "yes"})
    page.refresh_from_db()
    assert page.audience == Audience.EVERYONE
    assert page.opened_by == editor
    # A later revision published from an older draft keeps the editor's choice.
    page.save_revision(user=editor).publish()
    page.refresh_from_db()
    assert page.audience == Audience.EVERYONE


def test_the_thread_chooser_offers_only_threads_the_editor_may_read():
    open_thread = solved_thread(new_community(visibility=Visibility.OPEN), title="Open one here")
    solved_thread(new_community(visibility=Visibility.PRIVATE), title="Secret private one")
    client = Client()
    client.force_login(make_editor())
    body = client.get("/cms/knowledge/threads/").content.decode()
    assert open_thread.title in body
    assert "Secret private one" not in body
    assert client.get("/cms/knowledge/people/?q=a").status_code == 200
