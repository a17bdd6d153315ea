import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities.core.services.communities import change_stage
from communities.models import LifecycleTransition
from tests.communities.factories import add_member, manager_of, new_community

pytestmark = pytest.mark.django_db


def test_a_manager_moves_the_stage_with_a_reason_and_the_page_shows_the_history(client):
    community = new_community()
    manager = manager_of(community)
    change_stage(
        actor=manager, community=community, to_stage="coalescing", reason="Regulars emerged."
    )
    transition = LifecycleTransition.objects.get(community=community)
    assert (transition.from_stage, transition.to_stage, transition.actor) == (
        "potential",
        "coalescing",
        manager,
    )
    page = client.get(reverse("communities:community-detail", args=[community.slug]))
    assert "Coalescing stage" in page.text
    assert "Potential → Coalescing" in page.text
    assert "Regulars emerged." in page.text


def test_stage_mistakes_are_refused_and_nothing_is_written():
    community = new_community()
    manager = manager_of(community)
    with pytest.raises(ValidationError, match="Say why"):
        change_stage(actor=manager, community=community, to_stage="maturing", reason=" ")
    with pytest.raises(ValidationError, match="already in the Potential stage"):
        change_stage(actor=manager, community=community, to_stage="potential", reason="x")
    with pytest.raises(ValidationError, match="Choose one"):
        change_stage(actor=manager, community=community, to_stage="thriving", reason="x")
    with pytest.raises(PermissionDenied):
        change_stage(
            actor=add_member(community), community=community, to_stage="maturing", reason="x"
        )
    assert not LifecycleTransition.objects.exists()
    community.refresh_from_db()
    assert community.stage == "potential"


def test_the_stage_page_shows_errors_as_form_errors(client):
    community = new_community()
    client.force_login(manager_of(community))
    url = reverse("communities:community-stage", args=[community.slug])
    response = client.post(url, {"to_stage": "potential", "reason": "no change"})
    assert response.status_code == 200
    assert "already in the Potential stage" in response.text
    response = client.post(url, {"to_stage": "maturing", "reason": "Steady flow of answers."})
    assert response.status_code == 302
