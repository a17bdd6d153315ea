"""The owner checks templates ask through `{% can %}` instead of comparing ids, and the
request-scoped permission read the rules use on the thread page."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from guardian.shortcuts import assign_perm

from communities import permissions
from communities.core.rules import remembering
from communities.core.selectors import member_directory
from communities.models import Post
from communities.moderation.services.actions import hide_content
from tests.communities.factories import CommunityFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_the_flag_link_is_for_others_words_not_yet_hidden(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    answer = make_reply(author=cast.other_member, thread=thread)
    assert permissions.can(cast.other_member, "flag_item", thread)
    assert not permissions.can(cast.member, "flag_item", thread)  # their own question
    assert permissions.can(cast.member, "flag_item", answer)
    assert not permissions.can(cast.other_member, "flag_item", answer)  # their own answer
    assert not permissions.can(cast.outsider, "flag_item", thread)  # may not flag here
    assert not permissions.can(AnonymousUser(), "flag_item", thread)
    hide_content(actor=cast.moderator, post=answer, thread=thread, reason="Off topic.")
    answer = Post.objects.get(pk=answer.pk)
    assert not permissions.can(cast.member, "flag_item", answer)  # hidden already


def test_the_thread_page_shows_no_flag_link_on_the_viewers_own_words(client, cast):
    thread = make_thread(author=cast.member, community=cast.community)
    mine = make_reply(author=cast.member, thread=thread)
    theirs = make_reply(author=cast.other_member, thread=thread)
    client.force_login(cast.member)
    page = client.get(f"/c/{cast.community.slug}/t/{thread.pk}/").content.decode()
    assert f"/t/{thread.pk}/p/{theirs.pk}/flag/" in page
    assert f"/t/{thread.pk}/p/{mine.pk}/flag/" not in page
    assert f"/t/{thread.pk}/flag/" not in page


def test_managers_manage_others_from_the_member_list_not_themselves(cast):
    rows = {m.user_id: m for m in member_directory(viewer=cast.manager, community=cast.community)}
    assert permissions.can(cast.manager, "manage_member", rows[cast.member.pk])
    assert not permissions.can(cast.manager, "manage_member", rows[cast.manager.pk])
    assert not permissions.can(cast.moderator, "manage_member", rows[cast.member.pk])
    assert permissions.can(cast.staff, "manage_member", rows[cast.member.pk])


def test_people_edit_only_their_own_profile(cast):
    assert permissions.can(cast.member, "edit_profile", cast.member)
    assert not permissions.can(cast.member, "edit_profile", cast.other_member)
    assert not permissions.can(AnonymousUser(), "edit_profile", cast.member)


def test_within_a_request_object_permissions_given_to_a_group_count_too():
    """The one-query read of the thread page sees what guardian's checker sees: permissions
    the admin gave a person's group on a community, as well as their own."""
    community, other = CommunityFactory(), CommunityFactory()
    user = UserFactory()
    group = Group.objects.create(name="Stewards")
    user.groups.add(group)
    assign_perm("communities.moderate_community", group, community)
    with remembering(user):
        assert permissions.can(user, "moderate_community", community)
        assert not permissions.can(user, "manage_community", community)
        assert not permissions.can(user, "moderate_community", other)
    assert user.has_perm("communities.moderate_community", community)
