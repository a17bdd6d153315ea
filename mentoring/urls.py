from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("", views.my_mentoring, name="home"),
    path("c/<slug:slug>/new/", views.programme_create, name="programme-create"),
    path("p/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("p/<int:pk>/mentors/", views.mentor_list, name="mentor-list"),
    path("p/<int:pk>/guide/", views.programme_guide, name="programme-guide"),
    path("p/<int:pk>/mentor/", views.mentor_profile, name="mentor-profile"),
    path("p/<int:pk>/mentee/", views.mentee_request, name="mentee-request"),
    path("p/<int:pk>/choose/", views.mentor_choose, name="mentor-choose"),
    path("p/<int:pk>/choose/<int:mentor_pk>/", views.mentor_request, name="mentor-request"),
    path("p/<int:pk>/manage/", views.programme_manage, name="programme-manage"),
    path("p/<int:pk>/edit/", views.programme_edit, name="programme-edit"),
    path("p/<int:pk>/proposals/", views.proposal_list, name="proposal-list"),
    path("p/<int:pk>/match/", views.programme_match, name="programme-match"),
    path(
        "p/<int:pk>/proposals/<int:pairing_pk>/<slug:action>/",
        views.proposal_action,
        name="proposal-action",
    ),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing-detail"),
    path("pairings/<int:pk>/answer/", views.pairing_answer, name="pairing-answer"),
    path("pairings/<int:pk>/withdraw/", views.pairing_withdraw, name="pairing-withdraw"),
    path("pairings/<int:pk>/goals/", views.goal_create, name="goal-create"),
    path("pairings/<int:pk>/goals/<int:goal_pk>/", views.goal_update, name="goal-update"),
    path("pairings/<int:pk>/sessions/", views.session_create, name="session-create"),
    path("pairings/<int:pk>/plan/", views.session_plan, name="session-plan"),
    path("pairings/<int:pk>/next.ics", views.session_ics, name="session-ics"),
    path("pairings/<int:pk>/close/", views.pairing_close, name="pairing-close"),
]
