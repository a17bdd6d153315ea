"""Members agree again to changed guidelines on their next visit, before they post."""

import pytest

from communities.core.errors import NotAllowed
from communities.core.services.communities import update_community
from communities.discussions.services.posts import reply
from communities.discussions.services.threads import start_thread
from tests.communities.factories import Cast, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    cast = Cast()
    thread = make_thread(author=cast.other_member, community=cast.community)
    update_community(actor=cast.manager, community=cast.community, guidelines="Cite sources.")
    return cast, thread


@pytest.mark.parametrize("page", ["new", "thread"])
def test_the_next_visit_asks_for_agreement_before_posting(client, story, page):
    cast, thread = story
    client.force_login(cast.member)
    url = f"/c/{cast.community.slug}/t/new/" if page == "new" else thread_url(cast, thread)
    html = client.get(url).content.decode()
    assert "The guidelines have changed" in html
    assert "Cite sources." in html
    assert 'name="body"' not in html  # no posting form until they agree

    response = client.post(f"/c/{cast.community.slug}/agree/", {"next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert "The guidelines have changed" not in html
    assert 'name="body"' in html


def test_posting_is_refused_until_they_agree(story):
    cast, thread = story
    with pytest.raises(NotAllowed, match=r"guidelines of .* have changed"):
        reply(author=cast.member, thread=thread, body="Me too!")
    with pytest.raises(NotAllowed, match=r"guidelines of .* have changed"):
        start_thread(
            author=cast.member, community=cast.community, kind="discussion", title="Hi", body="x"
        )


def test_the_agreement_never_redirects_off_site(client, story):
    cast, _thread = story
    client.force_login(cast.member)
    response = client.post(
        f"/c/{cast.community.slug}/agree/", {"next": "https://evil.example/phish"}
    )
    assert response["Location"] == f"/c/{cast.community.slug}/"


def thread_url(cast, thread) -> str:
    return f"/c/{cast.community.slug}/t/{thread.pk}/"
