import pytest

from communities.core.errors import NotAllowed
from communities.core.models.people import BIO_MAX_LENGTH
from communities.core.services.profiles import update_profile
from communities.models import User
from tests.communities.factories import UserFactory

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    return {
        "display_name": "Ada Byron",
        "bio": "I facilitate retrospectives.",
        "motivation": "Help teams learn from their mistakes.",
        "expertise_names": "facilitation, retrospectives",
        "timezone": "Europe/Lisbon",
        "digest_frequency": "daily",
        "notify_by_email": "on",
        **overrides,
    }


def test_member_edits_and_sees_their_profile(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    response = client.post("/settings/profile/", profile_data())
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Ada Byron"
    assert user.timezone == "Europe/Lisbon"
    assert user.digest_frequency == "daily"
    assert sorted(t.name for t in user.expertise.all()) == ["facilitation", "retrospectives"]
    page = client.get("/people/ada/").content.decode()
    assert "Help teams learn from their mistakes." in page
    assert "retrospectives" in page


def test_unknown_timezone_is_refused_and_nothing_is_saved(client):
    user = UserFactory(display_name="Before")
    client.force_login(user)
    response = client.post("/settings/profile/", profile_data(timezone="Mars/Olympus_Mons"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Before"
    assert not user.expertise.exists()


def test_over_long_bio_is_refused_and_nothing_is_saved(client):
    user = UserFactory(display_name="Before")
    client.force_login(user)
    response = client.post("/settings/profile/", profile_data(bio="x" * (BIO_MAX_LENGTH + 1)))
    assert response.status_code == 200
    assert f"at most {BIO_MAX_LENGTH} characters" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Before"


def test_badly_formed_expertise_tags_are_named_in_the_message(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/settings/profile/", profile_data(expertise_names="ok-tag, Bad Tag!"))
    assert response.status_code == 200
    assert "bad tag!" in response.content.decode()
    assert not user.expertise.exists()


def test_profile_editing_needs_a_login(client):
    response = client.get("/settings/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_nobody_edits_someone_elses_profile():
    alice, bob = UserFactory(), UserFactory()
    with pytest.raises(NotAllowed):
        update_profile(actor=bob, user=alice, expertise=[], display_name="Hijacked")
    assert User.objects.get(pk=alice.pk).display_name != "Hijacked"
