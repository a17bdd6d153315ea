import pytest
from django.core.management import call_command
from wagtail.models import WorkflowState

from knowledge.models import ArticleCredit, ArticlePage, TopicPage

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_topics_and_articles_of_every_kind_once(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    articles = ArticlePage.objects.all()
    assert TopicPage.objects.count() >= 5
    assert articles.filter(live=True).count() >= 12
    assert {page.kind for page in articles} == {
        "faq",
        "how_to",
        "best_practice",
        "case_study",
        "lesson_learned",
    }
    anonymous = articles.get(title__startswith="Is it normal to feel like an impostor")
    asker = anonymous.sources.get().thread.author
    credited = [credit.user for credit in ArticleCredit.objects.filter(page=anonymous)]
    assert credited
    assert asker not in credited
    assert any(page.is_stale for page in articles)
    assert articles.filter(source_changed_at__isnull=False).exists()
    assert WorkflowState.objects.filter(status="in_progress").count() == 1
    lesson = articles.get(source_meeting__isnull=False)
    assert (lesson.live, lesson.audience, lesson.kind) == (True, "circle", "lesson_learned")
    count = articles.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ArticlePage.objects.count() == count
