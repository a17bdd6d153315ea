"""seed_demo backfills half a year of snapshots that tell each demo community's story."""

import pytest
from django.core.management import call_command

from communities.health.models import ProposalStatus
from communities.models import Community, HealthSnapshot, StageProposal
from communities.public import Stage

pytestmark = pytest.mark.django_db


def test_demo_dashboards_tell_their_stories(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    growing = Community.objects.get(slug="data-engineering")
    declining = Community.objects.get(slug="ux-research-guild")
    assert HealthSnapshot.objects.filter(community=growing).count() == 26 * 7 + 1
    first, last = (
        HealthSnapshot.objects.filter(community=growing).order_by("taken_on")[i] for i in (0, 182)
    )
    assert last.members > first.members * 3
    # CHAOSS contributors: the growing community gains them, the declining one loses them.
    fading = HealthSnapshot.objects.filter(community=declining).order_by("taken_on").last()
    assert last.new_contributors > last.inactive_contributors
    assert fading.inactive_contributors > fading.new_contributors
    assert fading.burstiness > 0.5
    proposal = StageProposal.objects.get(community=declining, status=ProposalStatus.PENDING)
    assert proposal.stage == Stage.TRANSFORMATION
    # The mature and the steady communities fit their stages: nothing to propose.
    assert not StageProposal.objects.exclude(community=declining).exists()
    facilitation = Community.objects.get(slug="facilitation")
    latest = HealthSnapshot.objects.filter(community=facilitation).order_by("taken_on").last()
    assert latest.network["connectors"]
    assert latest.network["isolated"]
    client.force_login(facilitation.created_by)
    page = client.get(f"/c/{facilitation.slug}/health/").content.decode()
    assert "Connectors" in page
