"""Writes of communities.health: the daily snapshots, stage proposals, and a manager's
decision on a proposal."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import fields

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communities.core.models.communities import Role, Stage
from communities.discussions.services.inbox import notify_stewards
from communities.health.models import HealthSnapshot, ProposalStatus, StageProposal
from communities.health.snapshots import gather_snapshots
from communities.health.stages import SnapshotData, Thresholds, propose_stage
from communities.models import AuditEntry, Community, LifecycleTransition, User
from communities.public import require

# The engine reads one snapshot a week over the last 24 weeks (12 against the 12 before).
HISTORY_WEEKS = 24
SNAPSHOT_FIELDS = [
    f.name
    for f in HealthSnapshot._meta.concrete_fields
    if f.name not in {"id", "community", "taken_on"}
]


# What the engine reads of a snapshot (the network and the rest stay in the database).
ENGINE_FIELDS = [
    "taken_on",
    "age_days",
    "members",
    "active_members",
    "threads_week",
    "replies_week",
    "leader_post_share",
    "contributors",
    "creators",
    "answered_by_members_share",
    "median_first_answer_hours",
    "unanswered_24h",
]


def stage_thresholds() -> Thresholds:
    """The engine's thresholds, with any override from `TRELLIS_HEALTH_STAGE_THRESHOLDS`."""
    overrides = getattr(settings, "TRELLIS_HEALTH_STAGE_THRESHOLDS", {}) or {}
    known = {f.name for f in fields(Thresholds)}
    return Thresholds(**{name: value for name, value in overrides.items() if name in known})


def snapshot_data(snapshot: HealthSnapshot) -> SnapshotData:
    return SnapshotData(
        day=snapshot.taken_on,
        age_days=snapshot.age_days,
        members=snapshot.members,
        active_members=snapshot.active_members,
        posts_week=snapshot.posts_week,
        leader_share=snapshot.leader_post_share,
        contributors=snapshot.contributors + snapshot.creators,
        answered_by_members_share=snapshot.answered_by_members_share,
        median_first_answer_hours=snapshot.median_first_answer_hours,
        unanswered_24h=snapshot.unanswered_24h,
    )


def take_snapshots(*, community_ids: Sequence[int], day: dt.date) -> int:
    """Compute (or recompute) `day`'s snapshot of each community in `community_ids` and
    renew their stage proposals. Safe to run twice: the second run rewrites the same rows.
    Returns the number of snapshots written. A fixed number of queries per batch."""
    snapshots = gather_snapshots(community_ids, day)
    with transaction.atomic(durable=True):
        HealthSnapshot.objects.bulk_create(
            snapshots,
            update_conflicts=True,
            unique_fields=["community", "taken_on"],
            update_fields=SNAPSHOT_FIELDS,
        )
        propose_stages(community_ids=[s.community_id for s in snapshots], day=day)
    return len(snapshots)


def propose_stages(*, community_ids: Sequence[int], day: dt.date) -> None:
    """Run the stage engine over each community's weekly history up to `day` and keep one
    pending proposal where it points away from the current stage. A proposal a manager
    dismissed is not made again while the same rule keeps firing (its `rule` is the signal);
    once the rule has stopped firing, it firing again makes a new proposal."""
    weekly = [day - dt.timedelta(weeks=week) for week in range(HISTORY_WEEKS + 1)]
    history = defaultdict(list)
    for snapshot in HealthSnapshot.objects.filter(
        community_id__in=community_ids, taken_on__in=weekly
    ).only("community_id", *ENGINE_FIELDS):
        history[snapshot.community_id].append(snapshot_data(snapshot))
    stages = dict(Community.objects.filter(pk__in=community_ids).values_list("pk", "stage"))
    latest = {}
    for proposal in StageProposal.objects.filter(community_id__in=community_ids).order_by(
        "community_id", "-created_at", "-pk"
    ):
        latest.setdefault(proposal.community_id, proposal)
    thresholds = stage_thresholds()
    superseded, lapsed, created = [], [], []
    for community_id, stage in stages.items():
        proposal = propose_stage(history.get(community_id, []), thresholds)
        last = latest.get(community_id)
        wanted = proposal is not None and proposal.stage != stage
        same_as_last = wanted and last is not None and last.rule == proposal.rule
        if last is not None and last.is_pending and not same_as_last:
            superseded.append(last.pk)
        turned_down = last is not None and last.status == ProposalStatus.DISMISSED
        if turned_down and last.lapsed_on is None and not same_as_last:
            lapsed.append(last.pk)  # its signal stopped: the next time it fires is news
        # The same proposal waits already, or a manager turned it down and its signal has
        # kept firing since: don't repeat it.
        repeated = same_as_last and (last.is_pending or (turned_down and last.lapsed_on is None))
        if wanted and not repeated:
            created.append(
                StageProposal(
                    community_id=community_id,
                    stage=proposal.stage,
                    reason=proposal.reason,
                    rule=proposal.rule,
                    proposed_on=day,
                )
            )
    if superseded:
        StageProposal.objects.filter(pk__in=superseded, status=ProposalStatus.PENDING).update(
            status=ProposalStatus.SUPERSEDED, decided_at=timezone.now()
        )
    if lapsed:
        StageProposal.objects.filter(pk__in=lapsed, lapsed_on__isnull=True).update(lapsed_on=day)
    # Two workers on the same batch: the one-pending constraint keeps a single proposal.
    StageProposal.objects.bulk_create(created, ignore_conflicts=True)
    if created:
        _tell_managers_of_proposals(
            [proposal.community_id for proposal in created], day=day, stages=stages
        )


def _tell_managers_of_proposals(community_ids: list[int], *, day: dt.date, stages) -> None:
    """Each new pending proposal reaches the community's managers' notifications once,
    linking to the stage page where they confirm or dismiss it."""
    for proposal in StageProposal.objects.filter(
        community_id__in=community_ids, status=ProposalStatus.PENDING, proposed_on=day
    ).select_related("community"):
        community = proposal.community
        from_stage = Stage(stages[community.pk]).label
        notify_stewards(
            community,
            (Role.MANAGER,),
            event=f"stage-proposal:{proposal.pk}",
            message=(
                f"The health dashboard proposes moving {community.name} from "
                f"{from_stage} to {Stage(proposal.stage).label}."
            ),
            url=reverse("communities:community-stage", args=[community.slug]),
        )


def _locked_pending(proposal: StageProposal) -> tuple[Community, StageProposal]:
    community = Community.objects.select_for_update().get(pk=proposal.community_id)
    proposal = StageProposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_pending:
        raise ValidationError(
            f"This proposal was already {proposal.get_status_display().lower()}; "
            "the dashboard shows the current one."
        )
    return community, proposal


def confirm_stage_proposal(*, actor: User, proposal: StageProposal) -> Community:
    """A manager accepts the engine's proposal: the community moves to the proposed stage and
    its stage history keeps the engine's reason."""
    require(actor, "manage_community", proposal.community)
    with transaction.atomic(durable=True):
        community, proposal = _locked_pending(proposal)
        if community.stage != proposal.stage:
            LifecycleTransition.objects.create(
                community=community,
                from_stage=community.stage,
                to_stage=proposal.stage,
                reason=f"Proposed by the health dashboard and confirmed: {proposal.reason}",
                actor=actor,
            )
            old_stage = community.get_stage_display()
            community.stage = proposal.stage
            community.save(update_fields=["stage"])
            AuditEntry.objects.create(
                community=community,
                actor=actor,
                action="stage_changed",
                reason=f"{old_stage} → {community.get_stage_display()}: "
                f"proposed by the health dashboard ({proposal.reason})",
            )
        proposal.status = ProposalStatus.CONFIRMED
        proposal.decided_at = timezone.now()
        proposal.decided_by = actor
        proposal.save(update_fields=["status", "decided_at", "decided_by"])
    return community


def dismiss_stage_proposal(*, actor: User, proposal: StageProposal) -> StageProposal:
    """A manager turns the proposal down; it is not proposed again until the signals change."""
    require(actor, "manage_community", proposal.community)
    with transaction.atomic(durable=True):
        _, proposal = _locked_pending(proposal)
        proposal.status = ProposalStatus.DISMISSED
        proposal.decided_at = timezone.now()
        proposal.decided_by = actor
        proposal.save(update_fields=["status", "decided_at", "decided_by"])
    return proposal
