import pytest

from knowledge.models import KnowledgeHomePage


@pytest.mark.django_db
def test_the_knowledge_home_is_created_by_migration_and_served_at_kb(client):
    home = KnowledgeHomePage.objects.get()
    assert home.live
    response = client.get("/kb/")
    assert response.status_code == 200
    assert "Knowledge base" in response.content.decode()
    assert home.url == "/kb/"
