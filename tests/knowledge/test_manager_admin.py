"""Community managers edit their own community's articles in the Wagtail admin (and submit
them to the editors' workflow), not other communities' articles, and never publish."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from communities.public import Role, Visibility
from knowledge.models import ArticlePage
from tests.communities.factories import add_member, manager_of, new_community
from tests.knowledge.factories import harvested_article, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mine = new_community(visibility=Visibility.RESTRICTED)
    theirs = new_community(visibility=Visibility.OPEN)
    manager = manager_of(mine)
    return {
        "manager": manager,
        "mine": harvested_article(mine, by=manager, published=False),
        "theirs": harvested_article(theirs, published=False),
        "other_manager": add_member(theirs, role=Role.MANAGER),
        "moderator": add_member(mine, role=Role.MODERATOR),
        "member": add_member(mine),
    }


def edit_form_data(article, **changes):
    data = {
        "title": article.title,
        "slug": article.slug,
        "kind": article.kind,
        "authority": article.authority,
        "summary": article.summary,
        "body": streamfield([]),
        "sources": inline_formset([]),
        "credits": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "owner": article.owner_id or "",
    }
    data.update(changes)
    return nested_form_data(data)


def test_a_manager_opens_the_admin_and_edits_their_communitys_article(world, client):
    manager, mine = world["manager"], world["mine"]
    client.force_login(manager)
    assert client.get("/cms/").status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[mine.pk])).status_code == 200

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[mine.pk]),
        edit_form_data(mine, summary="Managers can say it better."),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    latest = ArticlePage.objects.get(pk=mine.pk).get_latest_revision_as_object()
    assert latest.summary == "Managers can say it better."
    assert latest.source_community_id == mine.source_community_id  # not theirs to move

    perms = ArticlePage.objects.get(pk=mine.pk).permissions_for_user(manager)
    assert perms.can_edit()
    assert not perms.can_publish()  # editors approve through the workflow
    listing = client.get(reverse("knowledge_admin:community-articles")).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[mine.pk]) in listing
    assert reverse("wagtailadmin_pages:edit", args=[world["theirs"].pk]) not in listing


@pytest.mark.parametrize("role", ["other_manager", "moderator", "member"])
def test_others_may_not_edit_the_article(world, client, role):
    client.force_login(world[role])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[world["mine"].pk]))
    assert response.status_code in (302, 403)
    assert (
        not ArticlePage.objects.get(pk=world["mine"].pk)
        .permissions_for_user(world[role])
        .can_edit()
    )


def test_members_and_moderators_get_no_admin(world, client):
    for role in ("member", "moderator"):
        client.force_login(world[role])
        response = client.get("/cms/")
        assert response.status_code == 302, role
        assert "login" in response["Location"], role


def test_an_editor_still_edits_and_publishes_every_article(world):
    editor = make_editor()
    for name in ("mine", "theirs"):
        perms = ArticlePage.objects.get(pk=world[name].pk).permissions_for_user(editor)
        assert perms.can_edit()
        assert perms.can_publish()


def test_the_manager_of_another_community_edits_only_theirs(world, client):
    client.force_login(world["other_manager"])
    theirs = world["theirs"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[world["mine"].pk])).status_code in (
        302,
        403,
    )
