"""The gardener's dashboard, its CSV, stage-proposal decisions and the staff overview."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communities.core.access import SignInFirst, community_for, signin_redirect
from communities.health import rules, selectors, services
from communities.health.models import HealthSnapshot, ProposalStatus, StageProposal

OVERVIEW_PAGE_SIZE = 50
CSV_FIELDS = [
    f.name
    for f in HealthSnapshot._meta.concrete_fields
    if f.name not in {"id", "community", "network", "computed_at"}
]
CSV_NETWORK_FIELDS = ["helpers", "answers", "reciprocity", "absence_factor", "top5_share"]


def _community(request, slug: str, action: str):
    """The community for this visitor by the one access policy: hidden → 404, anonymous →
    sign in, not allowed → 403."""
    return community_for(
        request,
        slug,
        action,
        refusal="Only the community's moderators and managers see its health.",
    )


def _chart_data(history: list[HealthSnapshot]) -> dict:
    return {
        "labels": [s.taken_on.isoformat() for s in history],
        "members": [s.members for s in history],
        "active": [s.active_members for s in history],
        "posts": [s.posts_week for s in history],
        "firstAnswer": [s.median_first_answer_hours for s in history],
        "lurkers": [s.lurkers for s in history],
        "contributors": [s.contributors for s in history],
        "creators": [s.creators for s in history],
        "newContributors": [s.new_contributors for s in history],
        "inactiveContributors": [s.inactive_contributors for s in history],
        "burstiness": [s.burstiness for s in history],
    }


@signin_redirect
def dashboard(request, slug: str):
    community = _community(request, slug, "view_health")
    may_manage = rules.can_see_network_names(request.user, community)
    history = selectors.weekly_history(community)
    latest = history[-1] if history else None
    return render(
        request,
        "communities/health/dashboard.html",
        {
            "community": community,
            "may_manage": may_manage,
            "history": history,
            "latest": latest,
            "chart_data": _chart_data(history),
            "proposal": selectors.pending_proposal(community),
            "picture": selectors.network_picture(community, latest, show_names=may_manage),
            "actions": selectors.gardener_actions(community),
        },
    )


def _csv_rows(community) -> Iterator[list]:
    yield ["community", *CSV_FIELDS, *CSV_NETWORK_FIELDS]
    for snapshot in selectors.all_snapshots(community).iterator(chunk_size=1000):
        network = snapshot.network or {}
        yield [
            community.slug,
            *(getattr(snapshot, name) for name in CSV_FIELDS),
            *(network.get(name, "") for name in CSV_NETWORK_FIELDS),
        ]


class _Echo:
    def write(self, value):
        return value


@signin_redirect
def snapshots_csv(request, slug: str):
    community = _community(request, slug, "view_health")
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _csv_rows(community)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{community.slug}-health.csv"'
    return response


@require_POST
@signin_redirect
def proposal_decide(request, slug: str, pk: int, decision: str):
    community = _community(request, slug, "decide_stage_proposal")
    proposal = get_object_or_404(StageProposal, pk=pk, community=community)
    try:
        if decision == "confirm":
            services.confirm_stage_proposal(actor=request.user, proposal=proposal)
            messages.success(
                request,
                f"{community.name} is now in the {proposal.get_stage_display()} stage; "
                "the stage history keeps the reason.",
            )
        else:
            services.dismiss_stage_proposal(actor=request.user, proposal=proposal)
            messages.success(
                request,
                "Proposal dismissed. It won't be proposed again until the signals change.",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.POST.get("back") == "stage":  # decided on the stage page: back there
        return redirect("communities:community-stage", slug=community.slug)
    return redirect("health:dashboard", slug=community.slug)


@signin_redirect
def overview(request):
    if not request.user.is_authenticated:
        raise SignInFirst
    if not rules.can_view_health_overview(request.user):
        raise PermissionDenied("Only staff see the health of every community.")
    page = Paginator(selectors.overview_communities(), OVERVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "communities/health/overview.html",
        {
            "page": page,
            "rows": selectors.overview_rows(list(page.object_list)),
            "pending": ProposalStatus.PENDING,
        },
    )
