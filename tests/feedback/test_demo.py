"""seed_demo adds peer review: a circle round in review with an outlier and calibration,
and a closed round with results, a revision and a reflection. Twice adds nothing."""

import pytest
from django.core.management import call_command

from feedback.models import (
    CalibrationExample,
    Phase,
    Review,
    Round,
    Stage,
    SubmissionVersion,
)


@pytest.mark.django_db
def test_seed_demo_adds_review_rounds_once(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    counts = (Round.objects.count(), Review.objects.count())
    call_command("seed_demo")
    assert (Round.objects.count(), Review.objects.count()) == counts
    in_review = Round.objects.get(title__startswith="Retro write-ups")
    assert in_review.phase == Phase.REVIEW
    assert in_review.circle is not None
    assert Review.objects.filter(round=in_review, is_outlier=True).count() == 1
    assert CalibrationExample.objects.filter(round=in_review).exists()
    closed = Round.objects.get(title__startswith="Facilitation case notes")
    assert closed.phase == Phase.CLOSED
    revision = SubmissionVersion.objects.get(submission__round=closed, kind="revision")
    assert "actions were missing" in revision.reflection
    assert Review.objects.filter(round=closed, stage=Stage.REREVIEW, status="submitted").count()
