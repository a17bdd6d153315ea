from django.urls import path

from communities.health import views

app_name = "health"

PROPOSAL = "c/<slug:slug>/health/proposals/<int:pk>/"

urlpatterns = [
    path("c/<slug:slug>/health/", views.dashboard, name="dashboard"),
    path("c/<slug:slug>/health/snapshots.csv", views.snapshots_csv, name="snapshots-csv"),
    path(
        PROPOSAL + "confirm/",
        views.proposal_decide,
        {"decision": "confirm"},
        name="proposal-confirm",
    ),
    path(
        PROPOSAL + "dismiss/",
        views.proposal_decide,
        {"decision": "dismiss"},
        name="proposal-dismiss",
    ),
    path("health/", views.overview, name="overview"),
]
