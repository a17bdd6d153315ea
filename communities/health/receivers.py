"""What communities.health hooks into: the demo, and a link on the community page.

Imported once from the communities app's `ready()`.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db.models.signals import post_init, pre_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from communities import hooks
from communities.health import rules
from communities.health.models import (
    AcceptedAnswerChange,
    HealthSnapshot,
    MembershipStateChange,
)
from communities.health.selectors import pending_proposal
from communities.health.services import SNAPSHOT_FIELDS, propose_stages, take_snapshots
from communities.models import Community, Membership, Thread

DEMO_WEEKS = 26


def health_link(request, community) -> str:
    """A link to the dashboard on the community page, for those who may open it."""
    if not rules.can_view_health(request.user, community):
        return ""
    return format_html(
        '<section class="card"><h2>Health</h2><p><a href="{}">Open the health dashboard</a>: '
        "trends, the help network, next actions and the lifecycle stage.</p></section>",
        reverse("health:dashboard", args=[community.slug]),
    )


hooks.register(hooks.COMMUNITY_PANELS, health_link)


def stage_proposal_panel(request, community) -> str:
    """The engine's pending proposal on the stage page, to confirm or dismiss there."""
    if not rules.can_decide_stage_proposal(request.user, community):
        return ""
    proposal = pending_proposal(community)
    if proposal is None:
        return ""
    return render_to_string(
        "communities/health/_stage_panel.html",
        {"community": community, "proposal": proposal, "may_manage": True, "back_to_stage": True},
        request=request,
    )


hooks.register(hooks.STAGE_PANELS, stage_proposal_panel)


# The history a past day's snapshot reads. Both log inside the writer's transaction, only
# for saves that name the changing field (every service does). The value loaded with the
# row is remembered, so logging costs no extra read.
_MISSING = object()
_MEMBERSHIP_FIELDS = ("status", "role")


def _remember(instance, names) -> None:
    instance._health_loaded = tuple(instance.__dict__.get(name, _MISSING) for name in names)


def _loaded(instance, model, names, attnames) -> tuple | None:
    loaded = getattr(instance, "_health_loaded", None)
    if loaded is not None and _MISSING not in loaded:
        return loaded
    return model.objects.filter(pk=instance.pk).values_list(*attnames).first()


@receiver(post_init, sender=Membership, dispatch_uid="health_remember_membership")
def remember_membership(sender, instance: Membership, **kwargs):
    _remember(instance, _MEMBERSHIP_FIELDS)


@receiver(post_init, sender=Thread, dispatch_uid="health_remember_accepted_answer")
def remember_accepted_answer(sender, instance: Thread, **kwargs):
    _remember(instance, ("accepted_answer_id",))


@receiver(pre_save, sender=Membership, dispatch_uid="health_log_membership_change")
def log_membership_change(sender, instance: Membership, update_fields=None, raw=False, **kwargs):
    if instance.pk is None:
        _remember(instance, _MEMBERSHIP_FIELDS)  # what the new row will hold
    if raw or instance.pk is None or not update_fields:
        return
    if not set(_MEMBERSHIP_FIELDS) & set(update_fields):
        return
    before = _loaded(instance, Membership, _MEMBERSHIP_FIELDS, _MEMBERSHIP_FIELDS)
    after = (instance.status, instance.role)
    if before is None or tuple(before) == after:
        return
    MembershipStateChange.objects.create(
        membership_id=instance.pk,
        changed_at=timezone.now(),
        status_before=before[0],
        role_before=before[1],
        status_after=after[0],
        role_after=after[1],
    )
    instance._health_loaded = after


@receiver(pre_save, sender=Thread, dispatch_uid="health_log_accepted_answer_change")
def log_accepted_answer_change(sender, instance: Thread, update_fields=None, raw=False, **kwargs):
    if instance.pk is None:
        _remember(instance, ("accepted_answer_id",))
    if raw or instance.pk is None or not update_fields or "accepted_answer" not in update_fields:
        return
    before = _loaded(instance, Thread, ("accepted_answer_id",), ("accepted_answer_id",))
    if before is None or before[0] == instance.accepted_answer_id:
        return
    AcceptedAnswerChange.objects.create(
        thread_id=instance.pk,
        changed_at=timezone.now(),
        post_before_id=before[0],
        post_after_id=instance.accepted_answer_id,
    )
    instance._health_loaded = (instance.accepted_answer_id,)


def _curve(start: float, end: float, progress: float, wobble: float = 0.0, seed: int = 0):
    """A smooth path from `start` to `end` with a little weekly wobble, never below zero."""
    value = start + (end - start) * progress
    value *= 1 + wobble * math.sin(seed * 1.7 + progress * 40)
    return max(0.0, value)


# slug -> (start, end) per measure over the 26 weeks: one growing, one mature, one declining
# into transformation, one steady.
DEMO_STORIES = {
    "data-engineering": {
        "age": 200,
        "members": (8, 42),
        "active": (5, 24),
        "posts": (4, 34),
        "leader": (0.7, 0.42),
        "answer": (30.0, 9.0),
        "unanswered": (3, 1),
        "new_contributors": (2, 8),
        "inactive_contributors": (0, 2),
        "burstiness": (0.3, 0.1),
    },
    "facilitation": {
        "age": 300,
        "members": (105, 128),
        "active": (40, 48),
        "posts": (55, 62),
        "leader": (0.2, 0.14),
        "answer": (5.0, 3.5),
        "unanswered": (1, 0),
        "new_contributors": (4, 4),
        "inactive_contributors": (3, 3),
        "burstiness": (-0.1, -0.2),
    },
    "ux-research-guild": {
        "age": 500,
        "members": (64, 47),
        "active": (34, 9),
        "posts": (48, 11),
        "leader": (0.25, 0.45),
        "answer": (6.0, 41.0),
        "unanswered": (1, 7),
        "new_contributors": (3, 0),
        "inactive_contributors": (2, 12),
        "burstiness": (0.1, 0.6),
    },
    "new-leaders": {
        "age": 720,
        "members": (40, 42),
        "active": (31, 32),
        "posts": (24, 25),
        "leader": (0.12, 0.1),
        "answer": (4.0, 4.5),
        "unanswered": (0, 0),
        "new_contributors": (2, 2),
        "inactive_contributors": (2, 2),
        "burstiness": (-0.3, -0.3),
    },
}


def _demo_row(community: Community, story: dict, day: dt.date, days_back: int, total: int):
    progress = 1 - days_back / total
    seed = community.pk

    def at(name: str, wobble: float = 0.06) -> float:
        start, end = story[name]
        return _curve(start, end, progress, wobble, seed)

    active = round(at("active"))
    posts = round(at("posts", 0.05))
    creators = max(1, round(active * 0.1))
    contributors = max(0, round(active * 0.45) - creators)
    asked = max(1, round(posts * 0.3))
    answered = max(0, asked - round(at("unanswered", 0)))
    return HealthSnapshot(
        community=community,
        taken_on=day,
        age_days=max(0, story["age"] - days_back),
        members=round(at("members", 0.01)),
        new_members=max(0, round(at("members", 0) * 0.04)),
        members_left=max(0, round(at("members", 0) * 0.02)),
        active_members=active,
        lurkers=max(0, active - contributors - creators),
        contributors=contributors,
        creators=creators,
        threads_week=round(posts * 0.3),
        replies_week=posts - round(posts * 0.3),
        questions_asked=asked,
        questions_answered=answered,
        questions_accepted=round(answered * 0.5),
        median_first_answer_hours=round(at("answer", 0.1), 1),
        unanswered_24h=round(at("unanswered", 0)),
        leader_post_share=round(at("leader", 0.03), 3),
        answered_by_members_share=round(1 - at("leader", 0.03), 3),
        circle_attendance=round(active * 0.2),
        new_contributors=round(at("new_contributors", 0.2)),
        inactive_contributors=round(at("inactive_contributors", 0.2)),
        # B runs from -1 to 1, so it is not clamped at zero as the counts are.
        burstiness=round(
            story["burstiness"][0] + progress * (story["burstiness"][1] - story["burstiness"][0]), 2
        ),
    )


def backfill_demo(day: dt.date | None = None) -> list[str]:
    """About 26 weeks of daily snapshots for the demo communities, each telling its stage's
    story; today's network comes from the demo's real replies. Safe to run again."""
    day = day or timezone.now().astimezone(dt.UTC).date()
    communities = list(Community.objects.filter(slug__in=DEMO_STORIES))
    if not communities:
        return []
    total = DEMO_WEEKS * 7
    # The real snapshot of today gives the network: the demo's named connectors and loners.
    take_snapshots(community_ids=[c.pk for c in communities], day=day)
    networks = dict(
        HealthSnapshot.objects.filter(community__in=communities, taken_on=day).values_list(
            "community_id", "network"
        )
    )
    rows = []
    for community in communities:
        story = DEMO_STORIES[community.slug]
        for days_back in range(total, -1, -1):
            row = _demo_row(community, story, day - dt.timedelta(days=days_back), days_back, total)
            row.network = networks.get(community.pk, {}) if days_back == 0 else {}
            rows.append(row)
    HealthSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["community", "taken_on"],
        update_fields=SNAPSHOT_FIELDS,
    )
    propose_stages(community_ids=[c.pk for c in communities], day=day)
    return [c.slug for c in communities]


@receiver(hooks.demo_seeded, dispatch_uid="health-demo")
def seed_health_demo(sender, stdout=None, **kwargs):
    slugs = backfill_demo()
    if stdout is not None and slugs:
        stdout.write(f"Health: {DEMO_WEEKS} weeks of snapshots for {', '.join(sorted(slugs))}.")
