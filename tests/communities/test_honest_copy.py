"""Copy that tells people the truth: who can learn an anonymous asker, what a hidden reply was."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_anonymous_checkbox_says_only_staff_can_learn_who_asked(client, cast):
    client.force_login(cast.member)
    page = client.get(f"/c/{cast.community.slug}/t/new/").content.decode()
    assert "Ask anonymously (questions only)" in page
    assert (
        '<span class="helptext" id="id_is_anonymous_helptext">Other members, moderators and '
        "managers never see that it was you. Only staff can ever learn who asked, through an "
        "audited reveal, and only for abuse.</span>"
    ) in page
    assert 'aria-describedby="id_is_anonymous_helptext"' in page
    assert "nobody else, moderators included" not in page
