"""The anonymous asker still hears of answers, replies and votes' outcomes like any asker."""

import pytest

from communities.discussions.models.notifications import NotificationKind
from communities.discussions.services.threads import mark_verified_answer
from communities.models import Notification
from tests.communities.factories import Cast, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_the_anonymous_asker_is_notified_and_the_link_leads_to_the_reply(client, settings):
    cast = Cast()
    question = make_thread(author=cast.member, community=cast.community, is_anonymous=True)
    answer = make_reply(author=cast.other_member, thread=question, body="Try a silent round.")
    mark_verified_answer(actor=cast.moderator, thread=question, post=answer)
    kinds = set(Notification.objects.filter(recipient=cast.member).values_list("kind", flat=True))
    assert kinds == {NotificationKind.REPLY, NotificationKind.ANSWER_VERIFIED}
    client.force_login(cast.member)
    page = client.get("/notifications/").content.decode()
    assert f"/c/{cast.community.slug}/t/{question.pk}/#post-{answer.pk}" in page
    assert cast.other_member.public_name in page
    assert "data-unread-count>2<" in page
    # The thread page lets the anonymous asker accept the answer they were told about.
    thread_page = client.get(f"/c/{cast.community.slug}/t/{question.pk}/").content.decode()
    assert f"/c/{cast.community.slug}/t/{question.pk}/accept/" in thread_page
