import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("secret-internal-detail-123")


urlpatterns = [path("boom/", broken_view), *site_urlpatterns]


@pytest.mark.django_db
def test_unknown_url_gets_the_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert "trellis.css" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.config.test_error_pages")
def test_server_error_gets_a_styled_500_that_reveals_nothing(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "secret-internal-detail-123" not in html
    assert "Traceback" not in html
