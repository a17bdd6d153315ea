"""Thread pages: the list of a community, starting, reading, editing and resolving threads."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from communities.circles.models import Circle, CircleMembershipStatus
from communities.core import rules as permissions
from communities.core.access import add_service_error, community_for, remember_permissions
from communities.core.errors import RateLimited
from communities.core.forms.submissions import blank_form_fields
from communities.core.models.tags import TAG_PATTERN
from communities.core.paging import CappedPaginator
from communities.discussions.access import thread_for
from communities.discussions.forms.threads import ReplyForm, RevealForm, ThreadForm
from communities.discussions.models.notifications import NotificationLevel
from communities.discussions.models.threads import PostRevision, QuestionStatus, ThreadKind
from communities.discussions.selectors.badges import badges_for_profile, rising_stars
from communities.discussions.selectors.follows import is_following
from communities.discussions.selectors.notifications import my_circle_levels, notification_level
from communities.discussions.selectors.person_follows import is_following_person
from communities.discussions.selectors.threads import (
    THREAD_SORTS,
    answers_page_of,
    post_for_viewer,
    recent_threads_for_community,
    similar_threads,
    threads_for_community,
    threads_in_order,
)
from communities.discussions.selectors.threads import (
    thread_detail as thread_page,
)
from communities.discussions.services import posts as post_services
from communities.discussions.services import threads as thread_services
from communities.discussions.services.visits import record_thread_visit
from communities.discussions.views.thread_page import RowContext, answer_rows, render_rows

PAGE_SIZE = 20


def _thread_url(community, thread_id: int, anchor: str = "", page: int = 1) -> str:
    url = reverse("communities:thread-detail", args=[community.slug, thread_id])
    if page > 1:
        url = f"{url}?page={page}"
    return f"{url}#{anchor}" if anchor else url


def _post_url(request, community, thread, post_id: int) -> str:
    """Where a reply is shown: its answer's page of the thread, scrolled to it."""
    page = answers_page_of(viewer=request.user, thread=thread, post_id=post_id)
    return _thread_url(community, thread.pk, f"post-{post_id}", page=page)


@remember_permissions
def thread_list(request, slug: str):
    community = community_for(request, slug, content=True, signed_in=False)
    filters = {
        "kind": request.GET.get("kind") or None,
        "tag": request.GET.get("tag") or None,
        "status": request.GET.get("status") or None,
        "sort": request.GET.get("sort") or "activity",
    }
    threads = threads_for_community(
        viewer=request.user,
        community=community,
        followed=request.GET.get("followed") == "1",
        **filters,
    )
    # Ids first: the page of ids through the index, then only those rows are loaded; the
    # pager counts no further than it must (see `CappedPaginator`).
    wanted = request.GET.get("page")
    page = CappedPaginator(threads.values_list("pk", flat=True), PAGE_SIZE, wanted=wanted).get_page(
        wanted
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "communities/threads/list.html",
        {
            "community": community,
            "page": page,
            "threads": threads_in_order(request.user, page.object_list),
            "filters": filters,
            "kinds": ThreadKind.choices,
            "statuses": QuestionStatus.choices,
            "sorts": [(key, key.title()) for key in THREAD_SORTS],
            "query_string": query.urlencode(),
            "may_post": permissions.can(request.user, "post_in_community", community),
            "follows_community": is_following(request.user, community=community),
            "followable_tag": _followable_tag(filters["tag"]),
            "follows_tag": is_following(request.user, tag_name=_followable_tag(filters["tag"])),
            "may_manage_prompts": permissions.can(request.user, "manage_prompts", community),
        },
    )


def _followable_tag(name: str | None) -> str | None:
    return name if name and re.fullmatch(TAG_PATTERN, name) else None


def _my_circles(user, community):
    return list(
        Circle.objects.filter(
            community=community,
            memberships__user_id=user.pk,
            memberships__status=CircleMembershipStatus.ACTIVE,
        )
    )


def thread_similar(request, slug: str):
    """Threads like the title being typed (`title`), as a fragment for the new-thread form:
    only threads the visitor may read, no authors named."""
    community = community_for(request, slug, content=True, signed_in=False)
    threads = similar_threads(
        viewer=request.user, community=community, title=request.GET.get("title", "")[:300]
    )
    return render(
        request,
        "communities/threads/_similar.html",
        {"community": community, "threads": threads},
    )


@login_required
def thread_create(request, slug: str):
    community = community_for(request, slug, content=True)
    may_post = permissions.can(request.user, "post_in_community", community)
    must_agree_again = permissions.must_agree_again(request.user, community)
    circles = _my_circles(request.user, community) if may_post else []
    form = ThreadForm(request.POST or None, circles=circles)
    # While the title is typed, threads already asked in this community show beneath it.
    form.fields["title"].widget.attrs.update(
        {
            "hx-get": reverse("communities:thread-similar", args=[community.slug]),
            "hx-trigger": "input changed delay:500ms",
            "hx-target": "#similar-threads",
            "hx-swap": "innerHTML",
        }
    )
    status = 200
    if request.method == "POST" and may_post and form.is_valid():
        data = form.cleaned_data
        circle = next((c for c in circles if c.pk == data.get("circle")), None)
        try:
            thread = thread_services.start_thread(
                author=request.user,
                community=community,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                tag_names=data["tag_names"],
                circle=circle,
                is_anonymous=data["is_anonymous"],
                submission_token=data["submission_token"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(request, "Your thread is up.")
            return redirect(_thread_url(community, thread.pk))
    return render(
        request,
        "communities/threads/form.html",
        {
            "community": community,
            "form": form,
            "may_post": may_post,
            "must_agree_again": must_agree_again,
            "editing": False,
        },
        status=status,
    )


@remember_permissions
def thread_detail(request, slug: str, pk: int):
    community = community_for(request, slug, content=True, signed_in=False)
    page = thread_page(
        viewer=request.user,
        thread_id=pk,
        community=community,
        answers_page=request.GET.get("page") or 1,
    )
    thread = page.thread
    form = ReplyForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid():
            parent_id = form.cleaned_data["parent"]
            try:
                parent = (
                    post_for_viewer(viewer=request.user, thread=thread, post_id=parent_id)
                    if parent_id
                    else None
                )
                post = post_services.reply(
                    author=request.user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    parent=parent,
                    submission_token=form.cleaned_data["submission_token"],
                )
            except ValidationError as error:
                add_service_error(form, error)
                if isinstance(error, RateLimited):
                    status = 429
            except PermissionDenied:
                form.add_error(
                    None, "Only members who agreed to the community's guidelines can reply."
                )
            else:
                messages.success(request, "Your reply is posted.")
                return redirect(_post_url(request, community, thread, post.pk))
    user = request.user
    record_thread_visit(user=user, thread=thread, seen_at=thread.viewer_seen_at)
    rows = answer_rows(community, thread, page.answers)
    for post in rows:  # asked here, not by a template tag per reply
        post.may_edit = permissions.can(user, "edit_post", post)
        post.may_flag = permissions.can(user, "flag_item", post)
    # Masked once per page: Django's lazy one re-masks the token (32 random characters)
    # for every form, and a page of 30 answers has about 90 of them.
    csrf = SimpleLazyObject(lambda: csrf_input(request))
    may = {
        "may_reply": permissions.can(user, "reply_to_thread", thread),
        "may_accept": permissions.can(user, "accept_answer", thread),
        "may_verify": thread.is_question and permissions.can(user, "mark_verified_answer", thread),
        "may_moderate": permissions.can(user, "moderate_community", community),
    }
    thread_url = _thread_url(community, thread.pk)
    row_context = RowContext(
        thread=thread,
        signed_in=user.is_authenticated,
        csrf_input=csrf,
        thread_url=thread_url,
        accept_url=reverse("communities:thread-accept", args=[community.slug, thread.pk]),
        verify_url=reverse("communities:thread-verify", args=[community.slug, thread.pk]),
        **may,
    )
    return render(
        request,
        "communities/threads/detail.html",
        {
            "community": community,
            "thread": thread,
            "answers": page.answers,
            "rows_html": render_rows(rows, row_context),
            "page": page.page,
            "query_string": "",
            "thread_url": thread_url,
            "csrf_input": csrf,
            "form": form,
            # A new form's fields are the same markup on every page, but for their token.
            "blank_reply_fields": None
            if form.is_bound or not may["may_reply"]
            else blank_form_fields(ReplyForm),
            "must_agree_again": permissions.must_agree_again(user, community),
            "may_edit": permissions.can(user, "edit_thread", thread),
            "may_reveal": thread.is_anonymous
            and permissions.can(user, "reveal_anonymous_author", thread),
            "follows_thread": thread.followed_by_viewer,
            **may,
        },
        status=status,
    )


@login_required
def thread_edit(request, slug: str, pk: int):
    community, thread = thread_for(request, slug, pk, "edit_thread", hide=True)
    initial = {
        "title": thread.title,
        "body": thread.body,
        "tag_names": ", ".join(tag.name for tag in thread.tags.all()),
    }
    form = ThreadForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread_services.edit_thread(
                actor=request.user,
                thread=thread,
                title=data["title"],
                body=data["body"],
                tag_names=data["tag_names"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your changes are saved; the earlier version is kept.")
            return redirect(_thread_url(community, thread.pk))
    return render(
        request,
        "communities/threads/form.html",
        {"community": community, "form": form, "thread": thread, "editing": True, "may_post": True},
    )


def _resolve(request, slug: str, pk: int, service, done: str):
    community, thread = thread_for(request, slug, pk)
    try:
        post_id = int(request.POST.get("post", ""))
    except ValueError:
        post_id = 0
    try:
        post = post_for_viewer(viewer=request.user, thread=thread, post_id=post_id)
        service(actor=request.user, thread=thread, post=post)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text or "You can't do that here.")
        return redirect(_thread_url(community, thread.pk))
    messages.success(request, done)
    return redirect(_post_url(request, community, thread, post.pk))


@require_POST
@login_required
def thread_accept(request, slug: str, pk: int):
    return _resolve(request, slug, pk, thread_services.accept_answer, "You accepted this answer.")


@require_POST
@login_required
def thread_verify(request, slug: str, pk: int):
    return _resolve(
        request, slug, pk, thread_services.mark_verified_answer, "Marked as the verified answer."
    )


@login_required
def thread_reveal(request, slug: str, pk: int):
    """Staff only: who asked an anonymous question, with the reason written to the audit log."""
    if not permissions.can(request.user, "reveal_anonymous_author"):
        raise Http404
    community, thread = thread_for(request, slug, pk)
    if not thread.is_anonymous:
        raise Http404
    form = RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        try:
            revealed = thread_services.reveal_anonymous_author(
                actor=request.user, thread=thread, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
    return render(
        request,
        "communities/threads/reveal.html",
        {"community": community, "thread": thread, "form": form, "revealed": revealed},
    )


@login_required
def thread_history(request, slug: str, pk: int):
    """Earlier versions of the thread and its replies, for the community's moderators."""
    community, thread = thread_for(
        request, slug, pk, community_action="moderate_community", hide=True
    )
    return render(
        request,
        "communities/threads/history.html",
        {
            "community": community,
            "thread": thread,
            "thread_revisions": list(thread.revisions.all()),
            "post_revisions": list(
                PostRevision.objects.filter(post__thread=thread).order_by("post_id", "-created_at")
            ),
        },
    )


def community_page_context(request, community) -> dict:
    """Recent threads and rising stars on the community page (see `CommunitiesConfig.ready`)."""
    return {
        "recent_threads": recent_threads_for_community(viewer=request.user, community=community),
        "rising_stars": rising_stars(viewer=request.user, community=community),
        "notification_level": notification_level(viewer=request.user, community=community),
        "notification_levels": NotificationLevel.choices,
        "my_circle_levels": my_circle_levels(viewer=request.user, community=community),
    }


def profile_page_context(request, person) -> dict:
    """The badges on a profile page, and whether the viewer follows the person."""
    return {
        "badges": list(badges_for_profile(viewer=request.user, person=person)),
        "follows_person": is_following_person(request.user, person),
    }
