"""Stage proposals of the health dashboard reach the managers' notifications (the manager's
inbox), once per proposal, and nobody else."""

import pytest

from communities.health.models import ProposalStatus
from communities.health.services import confirm_stage_proposal, propose_stages
from communities.models import AuditEntry, Notification, StageProposal
from communities.public import Role
from tests.communities.factories import add_member, manager_of, new_community
from tests.communities.health.factories import TODAY, weekly_history

pytestmark = pytest.mark.django_db


def test_a_new_proposal_reaches_the_managers_once():
    community = new_community(visibility="private")
    manager = manager_of(community)
    moderator = add_member(community, role=Role.MODERATOR)
    member = add_member(community)
    weekly_history(community, 24, active_members=lambda ago: 50 if ago >= 12 else 20)
    propose_stages(community_ids=[community.pk], day=TODAY)
    propose_stages(community_ids=[community.pk], day=TODAY)
    proposal = StageProposal.objects.get(community=community, status=ProposalStatus.PENDING)
    notices = Notification.objects.filter(event=f"stage-proposal:{proposal.pk}")
    assert list(notices.values_list("recipient_id", flat=True)) == [manager.pk]
    notice = notices.get()
    assert notice.url == f"/c/{community.slug}/stage/"
    assert "to Transformation" in notice.message
    assert not Notification.objects.filter(recipient__in=[moderator, member]).exists()


def test_confirming_a_proposal_is_in_the_audit_log():
    community = new_community()
    weekly_history(community, 24, active_members=lambda ago: 50 if ago >= 12 else 20)
    propose_stages(community_ids=[community.pk], day=TODAY)
    proposal = StageProposal.objects.get(community=community, status=ProposalStatus.PENDING)
    confirm_stage_proposal(actor=manager_of(community), proposal=proposal)
    entry = AuditEntry.objects.get(community=community, action="stage_changed")
    assert entry.actor == manager_of(community)
    assert entry.reason.startswith("Potential → Transformation: proposed by the health dashboard")
