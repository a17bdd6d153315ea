"""Unanswered questions: sent to a few members who could help, once; after a day, on the
moderators' and managers' waiting list."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from communities.core.zones import in_zone_of
from communities.digests.models import (
    DigestSettings,
    EmailKind,
    EscalationDelivery,
    EscalationSettings,
)
from communities.digests.selectors import QUESTION, excerpt
from communities.models import Community, Post, Thread, User
from communities.public import (
    MembershipStatus,
    email_settings_url,
    member_email,
    site_url,
    unsubscribe_url,
    visible_threads,
    wants_email,
)


def questions_to_escalate(*, now: datetime.datetime) -> QuerySet[Thread]:
    """Visible questions without a visible answer, younger than a day, never escalated;
    each community's own delay is applied by the caller."""
    answers = Q(posts__is_hidden=False, posts__parent__isnull=True)
    return (
        Thread.objects.filter(
            kind=QUESTION,
            is_hidden=False,
            accepted_answer__isnull=True,
            created_at__gte=now - datetime.timedelta(hours=24),
            created_at__lte=now - datetime.timedelta(hours=1),
        )
        .annotate(answers=Count("posts", filter=answers))
        .filter(answers=0)
        .exclude(Exists(EscalationDelivery.objects.filter(thread=OuterRef("pk"))))
        .select_related("community", "community__escalation_settings")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )


def escalation_candidates(*, thread: Thread, now: datetime.datetime, limit: int) -> list[User]:
    """Up to `limit` members who could answer `thread`: active members of its community (and
    circle), with expertise in one of its tags, seen in the last 30 days, with a confirmed
    address, not bouncing and not opted out; never the asker. Most matching tags first."""
    tag_ids = [tag.pk for tag in thread.tags.all()]
    if not tag_ids:
        return []
    members = User.objects.filter(
        is_active=True,
        memberships__community_id=thread.community_id,
        memberships__status=MembershipStatus.ACTIVE,
        expertise__in=tag_ids,
    ).exclude(pk=thread.author_id or 0)
    if thread.circle_id:
        members = members.filter(
            circle_memberships__circle_id=thread.circle_id, circle_memberships__status="active"
        )
    recently = now - datetime.timedelta(days=30)
    members = members.filter(
        Q(last_login__gte=recently)
        | Exists(Post.objects.filter(author=OuterRef("pk"), created_at__gte=recently))
    )
    members = (
        members.filter(
            Exists(
                EmailAddress.objects.filter(
                    user=OuterRef("pk"), email=OuterRef("email"), verified=True
                )
            )
        )
        .exclude(digest_settings__is_bouncing=True)
        .exclude(digest_settings__wants_escalations=False)
        .annotate(matching=Count("expertise", distinct=True))
        .order_by("-matching", F("last_login").desc(nulls_last=True), "pk")
    )
    return list(members[:limit])


WAITING_PAGE_SIZE = 50


def waiting_questions(*, community: Community, now: datetime.datetime) -> QuerySet[Thread]:
    """Questions of `community` waiting more than a day for a visible answer, oldest first:
    the managers' list. Circle questions too: managers moderate the whole community."""
    answers = Q(posts__is_hidden=False, posts__parent__isnull=True)
    return (
        Thread.objects.filter(
            community=community,
            kind=QUESTION,
            is_hidden=False,
            accepted_answer__isnull=True,
            created_at__lte=now - datetime.timedelta(hours=24),
        )
        .annotate(answers=Count("posts", filter=answers))
        .filter(answers=0)
        .select_related("circle")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )


def _escalation_rules(thread: Thread) -> EscalationSettings:
    try:
        return thread.community.escalation_settings
    except EscalationSettings.DoesNotExist:
        return EscalationSettings(
            community=thread.community,
            after_hours=settings.TRELLIS_ESCALATION_AFTER_HOURS,
            recipients=settings.TRELLIS_ESCALATION_RECIPIENTS,
        )


def escalate_unanswered_questions(*, now: datetime.datetime | None = None) -> int:
    """Send each question unanswered for its community's delay (default 4 hours) to a few
    members who could answer it, once per question. Returns how many questions went out."""
    now = now or timezone.now()
    escalated = 0
    for thread in questions_to_escalate(now=now):
        rules = _escalation_rules(thread)
        if not rules.is_enabled:
            continue
        if thread.created_at > now - datetime.timedelta(hours=rules.after_hours):
            continue
        if escalate_question(thread_id=thread.pk, now=now):
            escalated += 1
    return escalated


def escalate_question(*, thread_id: int, now: datetime.datetime | None = None) -> list[int]:
    """Pick the members for one unanswered question and queue their emails; nothing when the
    question was escalated already (the thread row is locked while deciding)."""
    from communities.digests import tasks  # tasks import this module

    now = now or timezone.now()
    with transaction.atomic(durable=True):
        thread = (
            Thread.objects.select_for_update(of=("self",))
            .select_related("community")
            .filter(pk=thread_id, is_hidden=False)
            .first()
        )
        if thread is None or EscalationDelivery.objects.filter(thread=thread).exists():
            return []
        limit = _escalation_rules(thread).recipients
        members = escalation_candidates(thread=thread, now=now, limit=limit)
        delivery_ids = []
        for member in members:
            try:
                with transaction.atomic():
                    delivery = EscalationDelivery.objects.create(
                        thread=thread, member=member, created_at=now
                    )
            except IntegrityError:
                continue
            delivery_ids.append(delivery.pk)
        for delivery_id in delivery_ids:
            tasks.send_escalation_email.delay_on_commit(delivery_id)
    return delivery_ids


def _is_bouncing(member: User) -> bool:
    return DigestSettings.objects.filter(user=member, is_bouncing=True).exists()


def send_escalation_email(*, delivery_id: int) -> bool:
    """Email one escalation once (a conditional update claims it), if the question is still
    unanswered and the member may still read it."""
    delivery = (
        EscalationDelivery.objects.select_related("thread__community", "member")
        .filter(pk=delivery_id, sent_at__isnull=True)
        .first()
    )
    if delivery is None:
        return False
    thread, member = delivery.thread, delivery.member
    if thread.is_hidden or not member.is_active:
        return False
    # Turned off, or bouncing, since the member was chosen.
    if not wants_email(member, EmailKind.ESCALATION) or _is_bouncing(member):
        return False
    if not visible_threads(member).filter(pk=thread.pk).exists():
        return False
    if not EscalationDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    ):
        return False
    context = {
        "member": member,
        "thread": thread,
        "community": thread.community,
        "excerpt": excerpt(thread.body, 400),
        "url": site_url(
            reverse("communities:thread-detail", args=[thread.community.slug, thread.pk])
        ),
        "settings_url": email_settings_url(),
        "unsubscribe_url": unsubscribe_url(user_id=member.pk, kind=EmailKind.ESCALATION),
    }
    with in_zone_of(member):
        message = member_email(
            user=member,
            kind=EmailKind.ESCALATION,
            subject=f"Could you help? {thread.title}",
            text=render_to_string("communities/digests/escalation.txt", context),
            html=render_to_string("communities/digests/escalation.html", context),
            footer=False,
            named=True,
            unsubscribe_link=context["unsubscribe_url"],
        )
    try:
        message.send()
    except Exception:
        EscalationDelivery.objects.filter(pk=delivery.pk).update(sent_at=None)
        raise
    return True
