from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.my_reviews, name="my-reviews"),
    path("c/<slug:slug>/", views.round_list, name="round-list"),
    path("c/<slug:slug>/rounds/new/", views.round_create, name="round-create"),
    path("c/<slug:slug>/rubrics/", views.rubric_list, name="rubric-list"),
    path("c/<slug:slug>/rubrics/new/", views.rubric_create, name="rubric-create"),
    path("rubrics/<int:pk>/", views.rubric_detail, name="rubric-detail"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="rubric-edit"),
    path("rubrics/<int:pk>/copy/", views.rubric_copy, name="rubric-copy"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("rounds/<int:pk>/advance/", views.round_advance, name="round-advance"),
    path("rounds/<int:pk>/overview/", views.round_overview, name="round-overview"),
    path("rounds/<int:pk>/reviewers/", views.round_add_reviewer, name="round-add-reviewer"),
    path("rounds/<int:pk>/quality/", views.round_quality, name="round-quality"),
    path("rounds/<int:pk>/submit/", views.submit, name="submit"),
    path("rounds/<int:pk>/calibration/", views.calibration, name="calibration"),
    path(
        "rounds/<int:pk>/calibration/new/",
        views.calibration_example_create,
        name="calibration-example-create",
    ),
    path("submissions/<int:pk>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:pk>/results/", views.results, name="submission-results"),
    path("submissions/<int:pk>/revise/", views.revise, name="submission-revise"),
    path("submissions/<int:pk>/override/", views.override, name="submission-override"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/claim/", views.review_claim, name="review-claim"),
    path("reviews/<int:pk>/helpful/", views.review_rate, name="review-rate"),
]
