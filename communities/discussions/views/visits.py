"""“Mark all read”: every thread of a community stops being new to the member."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.core.access import safe_next
from communities.core.selectors import community_content_for_viewer
from communities.discussions.services.visits import mark_community_read


@require_POST
@login_required
def community_mark_read(request, slug: str):
    community = community_content_for_viewer(request.user, slug)
    mark_community_read(user=request.user, community=community)
    messages.success(request, f"Every thread in {community.name} is marked read.")
    return redirect(safe_next(request, reverse("communities:thread-list", args=[slug])))
