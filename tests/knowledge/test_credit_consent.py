"""The people credited follow each person's own choice (`CreditPreference`): named and
linked only with their consent, never for an anonymous asker, nobody under Chatham House."""

import pytest
from django.urls import reverse

from communities.public import Visibility
from knowledge.models import ArticleCredit, CreditPreference
from knowledge.services import harvest_thread, set_credit_preference
from tests.communities.factories import UserFactory, add_member, manager_of, new_community
from tests.knowledge.factories import publish, solved_thread

pytestmark = pytest.mark.django_db


def names(article):
    return [block.value["author_name"] for block in article.body]


@pytest.fixture
def community():
    return new_community(visibility=Visibility.OPEN)


def test_a_person_who_declined_is_quoted_without_name_and_not_credited(community):
    asker = add_member(community, UserFactory(display_name="Asha Asks"))
    answerer = add_member(community, UserFactory(display_name="Dara Declines"))
    set_credit_preference(by=answerer, wants_credit=False)
    thread = solved_thread(community, asker=asker, answerer=answerer)

    article = harvest_thread(thread, by=manager_of(community))

    assert names(article) == [asker.public_name, ""]
    assert [c.user for c in ArticleCredit.objects.filter(page=article)] == [asker]


def test_declining_later_removes_the_name_from_the_published_page(community, client):
    asker = add_member(community, UserFactory(display_name="Asha Asks"))
    answerer = add_member(community, UserFactory(display_name="Dara Later"))
    article = publish(
        harvest_thread(
            solved_thread(community, asker=asker, answerer=answerer), by=manager_of(community)
        )
    )
    page = client.get(article.url).content.decode()
    assert "Dara Later" in page
    assert f"/people/{answerer.username}/" in page

    client.force_login(answerer)
    response = client.post(reverse("knowledge:credit-preference"), {"wants_credit": "no"})
    assert response.status_code == 302
    assert CreditPreference.objects.get(user=answerer).wants_credit is False

    client.logout()
    page = client.get(article.url).content.decode()
    assert "Dara Later" not in page
    assert f"/people/{answerer.username}/" not in page
    assert "Asha Asks" in page  # the others keep their credit


def test_the_setting_page_shows_and_saves_the_choice(client):
    person = UserFactory()
    assert client.get(reverse("knowledge:credit-preference")).status_code == 302  # sign in
    client.force_login(person)
    page = client.get(reverse("knowledge:credit-preference")).content.decode()
    assert 'value="yes" checked' in page
    client.post(reverse("knowledge:credit-preference"), {"wants_credit": "no"})
    page = client.get(reverse("knowledge:credit-preference")).content.decode()
    assert 'value="no" checked' in page
    client.post(reverse("knowledge:credit-preference"), {"wants_credit": "yes"})
    assert CreditPreference.objects.get(user=person).wants_credit is True


def test_an_anonymous_asker_is_never_credited_even_when_consenting(community):
    asker, answerer = add_member(community), add_member(community)
    set_credit_preference(by=asker, wants_credit=True)
    thread = solved_thread(community, asker=asker, answerer=answerer, anonymous=True)
    article = harvest_thread(thread, by=manager_of(community))
    assert names(article) == ["", answerer.public_name]
    assert [c.user for c in ArticleCredit.objects.filter(page=article)] == [answerer]


def test_nobody_is_credited_under_chatham_house_even_when_consenting():
    community = new_community(is_chatham_house=True)
    asker, answerer = add_member(community), add_member(community)
    for person in (asker, answerer):
        set_credit_preference(by=person, wants_credit=True)
    article = harvest_thread(
        solved_thread(community, asker=asker, answerer=answerer), by=manager_of(community)
    )
    assert names(article) == ["", ""]
    assert not ArticleCredit.objects.filter(page=article).exists()
