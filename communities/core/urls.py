"""People, communities, joining, members and roles."""

from django.urls import path

from communities.core.views import communities, members, membership, profiles

urlpatterns = [
    path("people/<str:username>/", profiles.profile_detail, name="profile-detail"),
    path("settings/profile/", profiles.profile_edit, name="profile-edit"),
    path("c/", communities.community_list, name="community-list"),
    path("c/new/", communities.community_create, name="community-create"),
    path("c/<slug:slug>/", communities.community_detail, name="community-detail"),
    path("c/<slug:slug>/edit/", communities.community_edit, name="community-edit"),
    path("c/<slug:slug>/approve/", communities.community_approve, name="community-approve"),
    path("c/<slug:slug>/agree/", communities.community_agree, name="community-agree"),
    path("c/<slug:slug>/stage/", communities.community_stage, name="community-stage"),
    path("c/<slug:slug>/audit/", communities.community_audit, name="community-audit"),
    path("c/<slug:slug>/join/", membership.community_join, name="community-join"),
    path("c/<slug:slug>/leave/", membership.community_leave, name="community-leave"),
    path("c/<slug:slug>/requests/", membership.join_request_list, name="join-request-list"),
    path(
        "c/<slug:slug>/requests/<int:pk>/decide/",
        membership.join_request_decide,
        name="join-request-decide",
    ),
    path("c/<slug:slug>/invitations/", membership.invitation_list, name="invitation-list"),
    path(
        "c/<slug:slug>/invitations/<int:pk>/revoke/",
        membership.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invite/<str:signed>/", membership.invitation_accept, name="invitation-accept"),
    path("c/<slug:slug>/members/", members.member_list, name="member-list"),
    path("c/<slug:slug>/members/<str:username>/role/", members.member_role, name="member-role"),
    path(
        "c/<slug:slug>/members/<str:username>/remove/",
        members.member_remove,
        name="member-remove",
    ),
]
