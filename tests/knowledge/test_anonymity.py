"""An anonymous asker stays anonymous in harvested articles, their revisions, the admin's page
listing and the owners' emails; under the Chatham House rule nobody is named at all."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from communities.public import Visibility
from knowledge import freshness
from knowledge.models import ArticlePage
from knowledge.services import harvest_thread
from tests.communities.factories import (
    UserFactory,
    add_member,
    make_reply,
    manager_of,
    new_community,
)
from tests.knowledge.factories import make_editor, publish, solved_thread

pytestmark = pytest.mark.django_db


def traces(person) -> list[str]:
    return [person.public_name, person.username, person.email, f"/people/{person.username}/"]


def assert_no_trace(text: str, person, where: str):
    for trace in traces(person):
        assert trace not in text, f"{trace!r} found in {where}"


@pytest.fixture
def anonymous_harvest(django_capture_on_commit_callbacks):
    community = new_community(visibility=Visibility.OPEN)
    asker = add_member(community, UserFactory(display_name="Quentin Quietly"))
    answerer = add_member(community, UserFactory(display_name="Ada Answers"))
    thread = solved_thread(community, asker=asker, answerer=answerer, anonymous=True)
    # The asker's own follow-up stays anonymous too.
    make_reply(author=asker, thread=thread, body="Thanks, that worked!")
    manager = manager_of(community)
    article = harvest_thread(thread, by=manager)
    return community, asker, answerer, manager, article


def test_only_the_answerers_are_credited_and_named(anonymous_harvest):
    _, _asker, answerer, _, article = anonymous_harvest
    assert [credit.user for credit in article.credits.all()] == [answerer]
    names = [block.value["author_name"] for block in article.body]
    assert names == ["", answerer.public_name]


def test_revisions_hold_no_trace_of_the_asker(anonymous_harvest):
    _, asker, _, _, article = anonymous_harvest
    for revision in ArticlePage.objects.get(pk=article.pk).revisions.all():
        content = json.dumps(revision.content)
        assert_no_trace(content, asker, "a revision")
        assert f'"user": {asker.pk}' not in content


def test_the_published_page_and_the_admin_listing_hold_no_trace(anonymous_harvest, client):
    _, asker, answerer, _manager, article = anonymous_harvest
    article = publish(article)
    page = client.get(article.url).content.decode()
    assert answerer.public_name in page
    assert_no_trace(page, asker, "the article page")
    client.force_login(make_editor())
    for url in (
        f"/cms/pages/{article.get_parent().pk}/",
        f"/cms/pages/{article.pk}/edit/",
        f"/cms/pages/{article.pk}/history/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_trace(response.content.decode(), asker, url)


def test_the_owners_review_email_holds_no_trace(
    anonymous_harvest, django_capture_on_commit_callbacks
):
    _, asker, _, manager, article = anonymous_harvest
    article = publish(article)
    ArticlePage.objects.filter(pk=article.pk).update(
        review_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    owners = freshness.claim_review_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        for owner_id in owners:
            freshness.send_review_email(owner_id=owner_id)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert_no_trace(message.subject + message.body, asker, "the review email")


def test_chatham_house_articles_name_and_link_nobody(client):
    community = new_community(visibility=Visibility.OPEN, is_chatham_house=True)
    asker, answerer = add_member(community), add_member(community)
    thread = solved_thread(community, asker=asker, answerer=answerer)
    manager = manager_of(community)
    article = publish(harvest_thread(thread, by=manager))
    assert article.credits.count() == 0
    assert all(not block.value["author_name"] for block in article.body)
    page = client.get(article.url).content.decode()
    for person in (asker, answerer, manager):
        assert_no_trace(page, person, "a Chatham House article")
    assert "/people/" not in page.split('id="main"')[1]


def test_follower_emails_and_the_one_search_hold_no_trace(
    anonymous_harvest, client, django_capture_on_commit_callbacks
):
    from knowledge.services import set_following

    _, asker, _, _, article = anonymous_harvest
    follower = UserFactory()
    set_following(article.get_parent(), by=follower, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        article = publish(article)
    (message,) = mail.outbox
    assert message.to == [follower.email]
    assert_no_trace(message.subject + message.body, asker, "the follower email")

    client.force_login(follower)
    found = client.get("/search/", {"q": "retrospective", "type": "articles"}).content.decode()
    assert article.url in found
    assert_no_trace(found.split('id="main"')[-1], asker, "the search results")


def test_the_managers_article_listing_holds_no_trace_of_an_anonymous_asker(
    anonymous_harvest, client
):
    _, asker, _, manager, article = anonymous_harvest
    client.force_login(manager)
    listing = client.get("/cms/knowledge/community-articles/").content.decode()
    assert f"/cms/pages/{article.pk}/edit/" in listing
    assert_no_trace(listing, asker, "the managers' article listing")
