"""Following a person from their profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.core.access import safe_next
from communities.core.models.people import User
from communities.discussions.selectors.person_follows import is_following_person
from communities.discussions.services.person_follows import set_person_follow
from communities.discussions.views.helpers import is_htmx


@require_POST
@login_required
def person_follow(request, username: str):
    person = get_object_or_404(User, username=username, is_active=True)
    error = None
    try:
        set_person_follow(
            user=request.user, person=person, follow=request.POST.get("action") != "unfollow"
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if is_htmx(request):
        return render(
            request,
            "components/follow_button.html",
            {
                "following": is_following_person(request.user, person),
                "action_url": reverse("communities:person-follow", args=[person.username]),
                "label": person.public_name,
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    return redirect(
        safe_next(request, reverse("communities:profile-detail", args=[person.username]))
    )
