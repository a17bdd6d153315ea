"""`may_read_thread` (the thread page's check in Python) says exactly what `visible_threads`
(the SQL every list, search and count uses) says, for every role, every kind of community and
every kind of thread, including the people whose seat outlived their membership."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from communities.circles.models import CircleMembership, CircleMembershipStatus
from communities.core import rules
from communities.core.models.communities import Community, MembershipStatus, Visibility
from communities.discussions.selectors.threads import (
    may_read_thread,
    thread_for_viewer,
    visible_threads,
)
from communities.models import Thread
from tests.communities.factories import (
    Cast,
    UserFactory,
    leave_community,
    make_circle_of,
    make_member,
    make_thread,
)

pytestmark = pytest.mark.django_db

VISIBILITIES = (Visibility.OPEN, Visibility.RESTRICTED, Visibility.PRIVATE)


def _threads(cast: Cast, circle) -> dict[str, Thread]:
    plain = make_thread(author=cast.member, community=cast.community, title="A plain question")
    hidden = make_thread(author=cast.member, community=cast.community, title="A hidden question")
    in_circle = make_thread(
        author=cast.member, community=cast.community, circle=circle, title="A circle question"
    )
    hidden_in_circle = make_thread(
        author=cast.member, community=cast.community, circle=circle, title="Hidden in circle"
    )
    Thread.objects.filter(pk__in=[hidden.pk, hidden_in_circle.pk]).update(is_hidden=True)
    return {
        "plain": plain,
        "hidden": hidden,
        "circle": in_circle,
        "hidden circle": hidden_in_circle,
    }


def _viewers(cast: Cast, circle) -> dict[str, object]:
    seat_outlived = UserFactory()
    # A seat in the circle of someone who is no member of the community (left, banned, or
    # never was): the seat must not open the circle's threads.
    for person in (cast.banned, seat_outlived, cast.outsider):
        CircleMembership.objects.get_or_create(circle=circle, user=person)
    left_circle = UserFactory()
    CircleMembership.objects.create(
        circle=circle, user=left_circle, status=CircleMembershipStatus.LEFT
    )
    viewers = {role: cast[role] for role in ("outsider", "pending", "member", "champion")}
    viewers.update(
        {
            "anonymous": AnonymousUser(),
            "banned with a seat": cast.banned,
            "moderator": cast.moderator,
            "manager": cast.manager,
            "staff": cast.staff,
            "circle member": cast.other_member,
            "never a member, seated": seat_outlived,
            "left the circle": left_circle,
        }
    )
    return viewers


@pytest.mark.parametrize("held", [False, True], ids=["", "held for review"])
@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_python_rule_says_what_the_sql_says(visibility, held):
    cast = Cast(visibility)
    circle = make_circle_of(cast.community, cast.member, cast.other_member, cast.moderator)
    threads = _threads(cast, circle)
    viewers = _viewers(cast, circle)
    left = make_member(cast.community, status=MembershipStatus.LEFT)
    CircleMembership.objects.create(circle=circle, user=left)
    viewers["left the community, seated"] = left
    if held:
        Community.objects.filter(pk=cast.community.pk).update(is_held_for_review=True)
    cast.community.refresh_from_db()
    disagreements = []
    for who, viewer in viewers.items():
        for kind, thread in threads.items():
            thread = Thread.objects.select_related("community").get(pk=thread.pk)
            in_sql = visible_threads(viewer).filter(pk=thread.pk).exists()
            with rules.remembering(viewer):
                in_python = may_read_thread(viewer, thread)
            if in_sql != in_python:
                disagreements.append((who, kind, in_sql, in_python))
    assert disagreements == []


def test_a_member_who_left_loses_the_circle_thread_on_the_page_too():
    cast = Cast(Visibility.OPEN)
    circle = make_circle_of(cast.community, cast.member, cast.other_member)
    thread = make_thread(author=cast.member, community=cast.community, circle=circle)
    leave_community(user=cast.other_member, community=cast.community)
    viewer = type(cast.other_member).objects.get(pk=cast.other_member.pk)
    assert not visible_threads(viewer).filter(pk=thread.pk).exists()
    with pytest.raises(Http404):
        thread_for_viewer(viewer=viewer, thread_id=thread.pk, community=cast.community)


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_thread_page_check_answers_404_exactly_where_the_lists_hide(visibility):
    cast = Cast(visibility)
    circle = make_circle_of(cast.community, cast.member, cast.other_member)
    threads = _threads(cast, circle)
    for who, viewer in _viewers(cast, circle).items():
        for kind, thread in threads.items():
            listed = visible_threads(viewer).filter(pk=thread.pk).exists()
            if not listed and not rules.can(viewer, "see_community_content", cast.community):
                continue  # such a visitor never reaches the thread: the community is 404
            with rules.remembering(viewer):
                try:
                    thread_for_viewer(viewer=viewer, thread_id=thread.pk, community=cast.community)
                    shown = True
                except Http404:
                    shown = False
            assert shown == listed, (who, kind)
