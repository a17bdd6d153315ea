"""Emails and notices about pairings, each sent once: a `Notice` row per (kind, pairing,
person, key) is the claim, and the task that sends it marks it sent with a conditional
update. The same row puts a line on the person's notifications page (`communities.public.
notify`, keyed by the row, so once too)."""

from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator

from communities.models import User
from communities.public import notify as notify_in_app
from communities.public import send_member_email, send_once

from ..models import Notice, NoticeKind, Pairing

SUBJECTS = {
    NoticeKind.OFFERED: "A mentoring match is proposed to you",
    NoticeKind.REQUESTED: "A mentee asked you to mentor them",
    NoticeKind.ACTIVE: "Your mentoring relationship has started",
    NoticeKind.DECLINED: "A mentoring proposal was declined",
    NoticeKind.LAPSED: "Your mentoring request lapsed",
    NoticeKind.REQUEST_REMINDER: "A mentoring request is waiting for your answer",
    NoticeKind.NO_SESSION: "Time for a mentoring session?",
    NoticeKind.STALLED: "A mentoring relationship has stalled twice",
    NoticeKind.BUDDY: "Meet your onboarding buddy",
}

BODIES = {
    NoticeKind.OFFERED: "{programme} proposes {mentor} as mentor for {mentee}. Accept or "
    "decline on the proposal's page.",
    NoticeKind.REQUESTED: "{mentee} asked you to be their mentor in {programme}. Accept or "
    "decline before the request lapses.",
    NoticeKind.ACTIVE: "{mentor} and {mentee} both accepted: your relationship in {programme} "
    "is active. Set your first goals and plan a session.",
    NoticeKind.DECLINED: "The pairing of {mentor} and {mentee} in {programme} was declined. "
    "You stay in the pool for the next match.",
    NoticeKind.LAPSED: "{mentor} did not answer your request in {programme} in time, so it "
    "lapsed. Choose another mentor from the ranked list.",
    NoticeKind.REQUEST_REMINDER: "{mentee}'s request in {programme} lapses soon. Accept or "
    "decline it now.",
    NoticeKind.NO_SESSION: "No session of {mentor} and {mentee} in {programme} was logged "
    "lately. Plan the next one, or log the one you had.",
    NoticeKind.STALLED: "The relationship of {mentor} and {mentee} in {programme} went "
    "without sessions twice. You may want to check in with them.",
    NoticeKind.BUDDY: "{programme} proposes {mentor} as onboarding buddy for {mentee} for "
    "their first weeks. Accept or decline on the proposal's page.",
}


# The one line on the notifications page; the email says more.
LINES = {
    NoticeKind.OFFERED: "{programme}: {mentor} is proposed as mentor for {mentee}. "
    "Accept or decline.",
    NoticeKind.REQUESTED: "{mentee} asked you to be their mentor in {programme}.",
    NoticeKind.ACTIVE: "Your mentoring relationship of {mentor} and {mentee} in {programme} "
    "is active.",
    NoticeKind.DECLINED: "The pairing of {mentor} and {mentee} in {programme} was declined.",
    NoticeKind.LAPSED: "Your request to {mentor} in {programme} lapsed: choose another mentor.",
    NoticeKind.REQUEST_REMINDER: "{mentee}'s request in {programme} lapses soon: answer it.",
    NoticeKind.NO_SESSION: "No session of {mentor} and {mentee} in {programme} lately: "
    "plan the next one.",
    NoticeKind.STALLED: "{mentor} and {mentee} in {programme} went without sessions twice.",
    NoticeKind.BUDDY: "{programme} proposes {mentor} as onboarding buddy for {mentee}.",
}


def _names(pairing: Pairing) -> dict[str, str]:
    return {
        "programme": pairing.programme.name,
        "mentor": pairing.mentor.user.public_name,
        "mentee": pairing.mentee.user.public_name,
    }


def _path(kind: str, pairing: Pairing) -> str:
    if kind == NoticeKind.STALLED:
        return reverse("mentoring:programme-manage", args=[pairing.programme_id])
    return reverse("mentoring:pairing-detail", args=[pairing.pk])


def notify(*, kind: str, pairing: Pairing, recipients, key: str = "") -> list[Notice]:
    """Record a notice for each recipient (once per key) and send its email after commit.
    Returns the notices created now; those recorded before are left alone."""
    created = []
    for user in recipients:
        notice, is_new = Notice.objects.get_or_create(
            kind=kind, pairing=pairing, recipient=user, key=key
        )
        if is_new:
            created.append(notice)
            notify_in_app(
                user,
                event=f"mentoring:{notice.pk}",
                message=Truncator(LINES[kind].format(**_names(pairing))).chars(200),
                url=_path(kind, pairing),
            )
    if created:
        from ..tasks import send_notice

        for notice in created:
            send_notice.delay_on_commit(notice.pk)
    return created


def send_notice_email(*, notice_id: int) -> bool:
    """Send one notice's email once (communities' `send_once`: a second run finds it claimed,
    a failed send gives the claim back for the retry); returns whether it went out."""
    notice = (
        Notice.objects.select_related(
            "recipient", "pairing__programme", "pairing__mentor__user", "pairing__mentee__user"
        )
        .filter(pk=notice_id, sent_at__isnull=True)
        .first()
    )
    if notice is None:
        return False
    recipient: User = notice.recipient
    pairing = notice.pairing
    body = BODIES[notice.kind].format(**_names(pairing))
    if notice.kind == NoticeKind.DECLINED and pairing.decline_message:
        body += f"\n\nTheir message:\n{pairing.decline_message}"
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    text = f"Hello {recipient.public_name},\n\n{body}\n\n{site}{_path(notice.kind, pairing)}\n"
    sent = []

    def send() -> None:
        if send_member_email(
            user=recipient, kind="mentoring", subject=SUBJECTS[notice.kind], text=text
        ):
            sent.append(notice.pk)

    return send_once(Notice, notice.pk, field="sent_at", send=send) and bool(sent)
