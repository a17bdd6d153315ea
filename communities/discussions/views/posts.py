"""Reply actions: edit, vote, thank, and the live Markdown preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.core import rules as permissions
from communities.core.access import add_service_error
from communities.core.markdown import render_markdown
from communities.discussions.access import thread_for
from communities.discussions.forms.threads import ReplyForm
from communities.discussions.models.threads import BODY_MAX_LENGTH, Post
from communities.discussions.selectors.threads import (
    answers_page_of,
    post_for_viewer,
)
from communities.discussions.services import posts as post_services
from communities.discussions.services import votes as vote_services
from communities.discussions.views.helpers import is_htmx
from communities.discussions.views.thread_page import attach_post_links


def _thread_and_post(request, slug: str, pk: int, post_pk: int):
    community, thread = thread_for(request, slug, pk)
    return community, thread, post_for_viewer(viewer=request.user, thread=thread, post_id=post_pk)


def _back(request, community, thread, post) -> str:
    url = reverse("communities:thread-detail", args=[community.slug, thread.pk])
    page = answers_page_of(viewer=request.user, thread=thread, post_id=post.pk)
    return f"{url}?page={page}#post-{post.pk}" if page > 1 else f"{url}#post-{post.pk}"


@login_required
def post_edit(request, slug: str, pk: int, post_pk: int):
    community, thread, post = _thread_and_post(request, slug, pk, post_pk)
    if not permissions.can(request.user, "edit_post", post):
        raise Http404
    form = ReplyForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            post_services.edit_post(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your reply is updated; the earlier version is kept.")
            return redirect(_back(request, community, thread, post))
    return render(
        request,
        "communities/threads/post_edit.html",
        {"community": community, "thread": thread, "post": post, "form": form},
    )


def _react(request, slug, pk, post_pk, *, action):
    community, thread, post = _thread_and_post(request, slug, pk, post_pk)
    error = None
    try:
        action(post)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except PermissionDenied:
        error = "Only members of this community can do that."
    post = (
        Post.objects.filter(pk=post.pk)
        .only("pk", "vote_count", "thanks_count", "author_id", "thread_id")
        .first()
    )
    post.has_voted = post.votes.filter(user_id=request.user.pk).exists()
    post.has_thanked = post.thanks.filter(user_id=request.user.pk).exists()
    if is_htmx(request):
        attach_post_links(community, thread, post)
        return render(
            request,
            "components/post_reactions.html",
            {"post": post, "thread": thread, "community": community, "error": error},
            status=200,
        )
    if error:
        messages.error(request, error)
    return redirect(_back(request, community, thread, post))


@require_POST
@login_required
def post_vote(request, slug: str, pk: int, post_pk: int):
    undo = request.POST.get("action") == "undo"
    service = vote_services.unvote if undo else vote_services.vote
    return _react(
        request, slug, pk, post_pk, action=lambda post: service(voter=request.user, post=post)
    )


@require_POST
@login_required
def post_thank(request, slug: str, pk: int, post_pk: int):
    return _react(
        request,
        slug,
        pk,
        post_pk,
        action=lambda post: vote_services.thank(user=request.user, post=post),
    )


@require_POST
@login_required
def markdown_preview(request):
    """HTMX: the sanitised HTML of the Markdown being typed, for the live preview."""
    text = request.POST.get("body", "")
    if len(text) > BODY_MAX_LENGTH:
        return HttpResponse(
            f'<p class="errorlist">Too long to preview: keep it under {BODY_MAX_LENGTH:,} '
            "characters.</p>"
        )
    html = render_markdown(text) if text.strip() else ""
    return render(request, "components/markdown_preview.html", {"html": html})
