"""Harvesting a thread into a draft article: who may, what is copied, what never is."""

import pytest
from django.core.exceptions import ValidationError

from communities.public import Role, Visibility
from knowledge.errors import HarvestRefused
from knowledge.models import ArticleKind, ArticlePage, ArticleSource, Authority, TopicPage
from knowledge.services import harvest_thread
from tests.communities.factories import (
    TagFactory,
    UserFactory,
    add_member,
    make_reply,
    make_thread,
    manager_of,
    new_community,
)
from tests.knowledge.factories import hide, make_editor, solved_thread, topic, vote_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return new_community(visibility=Visibility.OPEN)


def excerpts(article):
    return [block.value for block in article.body if block.block_type == "excerpt"]


def test_a_manager_harvests_a_solved_thread_into_a_draft_with_question_answers_and_credits(
    community,
):
    asker, answerer = add_member(community), add_member(community)
    thread = solved_thread(community, asker=asker, answerer=answerer)
    manager = manager_of(community)

    article = harvest_thread(thread, by=manager)

    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live
    assert article.first_published_at is None
    assert article.get_latest_revision().user == manager
    assert article.title == thread.title
    assert article.kind == ArticleKind.FAQ
    assert article.authority == Authority.COMMUNITY
    assert article.source_community == community
    assert article.owner == manager
    assert article.review_on is not None
    assert [tag.name for tag in article.tags.all()] == ["facilitation"]
    roles = [value["role"] for value in excerpts(article)]
    assert roles == ["question", "accepted"]
    question, accepted = excerpts(article)
    assert "people stay silent" in question["text"].source
    assert question["author_name"] == asker.public_name
    assert question["link"] == f"/c/{community.slug}/t/{thread.pk}/"
    assert "<b>silent</b>" in accepted["text"].source
    assert accepted["link"].endswith(f"#post-{thread.accepted_answer_id}")
    assert {credit.user for credit in article.credits.all()} == {asker, answerer}
    source = ArticleSource.objects.get(page=article)
    assert source.thread == thread
    assert source.harvested_by == manager
    assert source.accepted_answer_at_harvest == thread.accepted_answer_id
    assert source.replies_at_harvest == 1


def test_the_draft_lands_under_the_topic_of_the_threads_tag_or_in_general(community):
    facilitation = topic("Facilitation", tag=TagFactory(name="facilitation"))
    tagged = harvest_thread(solved_thread(community), by=manager_of(community))
    untagged = harvest_thread(
        solved_thread(community, tag_names=[], title="Which whiteboard do you like?"),
        by=manager_of(community),
    )
    assert tagged.get_parent().pk == facilitation.pk
    assert untagged.get_parent().specific.slug == "general"
    assert TopicPage.objects.filter(slug="general").count() == 1


def test_best_voted_answers_are_quoted_and_hidden_posts_never_are(community):
    thread = solved_thread(community)
    manager = manager_of(community)
    voters = [add_member(community) for _ in range(3)]
    popular = make_reply(author=add_member(community), thread=thread, body="Use a timer.")
    vote_for(popular, voters)
    hidden = make_reply(author=add_member(community), thread=thread, body="SECRET hidden words")
    vote_for(hidden, voters)
    hide(hidden, by=manager)

    article = harvest_thread(thread, by=manager)

    texts = " ".join(value["text"].source for value in excerpts(article))
    assert "Use a timer." in texts
    assert "SECRET" not in texts
    assert hidden.author not in {credit.user for credit in article.credits.all()}
    assert ArticleSource.objects.get(page=article).replies_at_harvest == 2


def test_a_double_click_makes_one_draft(community):
    thread = solved_thread(community)
    manager = manager_of(community)
    first = harvest_thread(thread, by=manager)
    second = harvest_thread(thread, by=manager)
    assert first.pk == second.pk
    assert ArticlePage.objects.count() == 1


def test_once_published_the_thread_can_feed_another_article(community):
    from tests.knowledge.factories import publish

    thread = solved_thread(community)
    manager = manager_of(community)
    publish(harvest_thread(thread, by=manager))
    again = harvest_thread(thread, by=manager)
    assert ArticlePage.objects.count() == 2
    assert not again.live


@pytest.mark.parametrize(
    ("who", "solved", "allowed"),
    [
        ("manager", False, True),
        ("moderator", False, True),
        ("moderator", True, True),
        ("champion", True, True),
        ("champion", False, False),
        ("member", True, False),
        ("editor", True, True),
        ("editor", False, False),
        ("outsider", True, False),
        ("staff", False, True),
    ],
)
def test_who_may_harvest(community, who, solved, allowed):
    people = {
        "manager": lambda: manager_of(community),
        "moderator": lambda: add_member(community, role=Role.MODERATOR),
        "champion": lambda: add_member(community, role=Role.CHAMPION),
        "member": lambda: add_member(community),
        "editor": make_editor,
        "outsider": UserFactory,
        "staff": lambda: UserFactory(is_staff=True),
    }
    person = people[who]()
    if solved:
        thread = solved_thread(community)
    else:
        thread = make_thread(author=add_member(community), community=community)
    if allowed:
        assert harvest_thread(thread, by=person).pk
    else:
        with pytest.raises(HarvestRefused) as refused:
            harvest_thread(thread, by=person)
        assert refused.value.messages[0]
        assert ArticlePage.objects.count() == 0


def test_nobody_harvests_a_thread_they_cannot_see():
    private = new_community(visibility=Visibility.PRIVATE)
    thread = solved_thread(private)
    with pytest.raises(HarvestRefused, match="can't see"):
        harvest_thread(thread, by=make_editor())
    with pytest.raises(HarvestRefused, match="can't see"):
        harvest_thread(thread, by=manager_of(new_community()))
    assert ArticlePage.objects.count() == 0


def test_refusals_are_validation_errors_a_view_can_show(community):
    thread = make_thread(author=add_member(community), community=community)
    with pytest.raises(ValidationError, match="accepted or verified answer"):
        harvest_thread(thread, by=add_member(community))


def test_a_verified_answer_makes_a_verified_article(community):
    from communities.discussions.services.threads import mark_verified_answer

    thread = make_thread(author=add_member(community), community=community)
    answer = make_reply(author=add_member(community), thread=thread, body="Timebox it.")
    manager = manager_of(community)
    mark_verified_answer(actor=manager, thread=thread, post=answer)
    article = harvest_thread(thread, by=manager)
    assert article.authority == Authority.VERIFIED
    assert [value["role"] for value in excerpts(article)] == ["question", "verified"]
