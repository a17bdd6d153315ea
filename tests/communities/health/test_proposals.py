"""Stage proposals: made from the snapshots, confirmed into the stage history, dismissed for
good until the signals change."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities.health.models import ProposalStatus
from communities.health.services import (
    confirm_stage_proposal,
    dismiss_stage_proposal,
    propose_stages,
)
from communities.models import HealthSnapshot, LifecycleTransition, StageProposal
from communities.public import Role, Stage
from tests.communities.factories import add_member, manager_of, new_community
from tests.communities.health.factories import TODAY, weekly_history

pytestmark = pytest.mark.django_db


def declining(community):
    return weekly_history(community, 24, active_members=lambda ago: 50 if ago >= 12 else 20)


@pytest.fixture
def community():
    return new_community()


def pending(community):
    return StageProposal.objects.filter(community=community, status=ProposalStatus.PENDING)


def test_a_decline_proposes_transformation_once(community):
    declining(community)
    propose_stages(community_ids=[community.pk], day=TODAY)
    propose_stages(community_ids=[community.pk], day=TODAY)
    proposal = pending(community).get()
    assert proposal.stage == Stage.TRANSFORMATION
    assert "Active members fell 60%" in proposal.reason


def test_no_proposal_for_the_stage_it_is_in(community):
    declining(community)
    community.stage = Stage.TRANSFORMATION
    community.save(update_fields=["stage"])
    propose_stages(community_ids=[community.pk], day=TODAY)
    assert not StageProposal.objects.exists()


def test_confirming_moves_the_stage_and_keeps_the_reason(community):
    declining(community)
    propose_stages(community_ids=[community.pk], day=TODAY)
    proposal = pending(community).get()
    manager = manager_of(community)
    confirm_stage_proposal(actor=manager, proposal=proposal)
    community.refresh_from_db()
    assert community.stage == Stage.TRANSFORMATION
    step = LifecycleTransition.objects.filter(community=community).first()
    assert (step.from_stage, step.to_stage, step.actor) == (
        Stage.POTENTIAL,
        Stage.TRANSFORMATION,
        manager,
    )
    assert proposal.reason in step.reason
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED
    with pytest.raises(ValidationError, match="already confirmed"):
        confirm_stage_proposal(actor=manager, proposal=proposal)


def test_a_dismissed_proposal_is_not_repeated_while_the_signals_stay(community):
    declining(community)
    propose_stages(community_ids=[community.pk], day=TODAY)
    dismiss_stage_proposal(actor=manager_of(community), proposal=pending(community).get())
    propose_stages(community_ids=[community.pk], day=TODAY)
    assert not pending(community).exists()
    assert StageProposal.objects.count() == 1
    community.refresh_from_db()
    assert community.stage == Stage.POTENTIAL
    assert not LifecycleTransition.objects.filter(community=community).exists()


def test_a_dismissed_signal_that_stops_and_fires_again_is_proposed_again(community):
    rows = declining(community)
    propose_stages(community_ids=[community.pk], day=TODAY)
    dismissed = pending(community).get()
    dismiss_stage_proposal(actor=manager_of(community), proposal=dismissed)
    # Next week the decline is gone (active members back at 50): the signal stops.
    latest = rows[-1]
    # (the steady numbers fit the stage a manager set meanwhile, so nothing else is proposed)
    HealthSnapshot.objects.filter(community=community).update(active_members=50)
    community.stage = Stage.STEWARDSHIP
    community.save(update_fields=["stage"])
    propose_stages(community_ids=[community.pk], day=TODAY)
    assert not StageProposal.objects.exclude(pk=dismissed.pk).exists()
    dismissed.refresh_from_db()
    assert dismissed.lapsed_on == TODAY
    assert dismissed.status == ProposalStatus.DISMISSED  # the decision stays in the history
    # Then the same decline comes back: that is news, so it is proposed again.
    declining_again = {"active_members": 20}
    HealthSnapshot.objects.filter(
        community=community, taken_on__gt=latest.taken_on - dt.timedelta(weeks=12)
    ).update(**declining_again)
    propose_stages(community_ids=[community.pk], day=TODAY)
    again = pending(community).get()
    assert again.rule == dismissed.rule
    assert again.pk != dismissed.pk


def test_a_different_signal_replaces_the_waiting_proposal(community):
    declining(community)
    propose_stages(community_ids=[community.pk], day=TODAY)
    first = pending(community).get()
    # The weekly posts now fall too, and active members recover: a different rule fires.
    StageProposal.objects.filter(pk=first.pk).update(rule="transformation:other")
    propose_stages(community_ids=[community.pk], day=TODAY)
    first.refresh_from_db()
    assert first.status == ProposalStatus.SUPERSEDED
    assert pending(community).get().rule == "transformation:active_members"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_only_managers_decide(community, role):
    declining(community)
    propose_stages(community_ids=[community.pk], day=TODAY)
    proposal = pending(community).get()
    someone = add_member(community, role=role)
    with pytest.raises(PermissionDenied):
        confirm_stage_proposal(actor=someone, proposal=proposal)
    with pytest.raises(PermissionDenied):
        dismiss_stage_proposal(actor=someone, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.is_pending


def test_thresholds_come_from_settings(community, settings):
    # Steady numbers, managers writing 80%, 40 days old: too old to be "young" by default.
    weekly_history(community, 6, age_days=lambda ago: 40 - 7 * ago, leader_post_share=0.8,
                   active_members=30)  # fmt: skip
    community.stage = Stage.COALESCING
    community.save(update_fields=["stage"])
    propose_stages(community_ids=[community.pk], day=TODAY)
    assert not pending(community).exists()
    settings.TRELLIS_HEALTH_STAGE_THRESHOLDS = {"young_days": 60}
    propose_stages(community_ids=[community.pk], day=TODAY)
    assert pending(community).get().stage == Stage.POTENTIAL
