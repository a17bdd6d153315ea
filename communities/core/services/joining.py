"""Join requests for restricted communities and invitations into any community."""

from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil

from communities.core import rules as permissions
from communities.core.errors import NotAllowed, RateLimited, StateError
from communities.core.jobs import enqueue_on_commit
from communities.core.models.audit import AuditEntry
from communities.core.models.communities import (
    Community,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from communities.core.models.joining import Invitation, JoinRequest, JoinRequestStatus
from communities.core.models.people import User
from communities.core.sending import send_once
from communities.core.services.membership import (
    activate_membership,
    lock_community,
    locked_membership,
    refuse_banned,
    require_agreement,
    save_membership,
)
from communities.core.signals import invitation_accepted, join_requested
from communities.core.text import email_subject, single_line
from communities.core.zones import zone_of

INVITATION_SALT = "communities.invitation"
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
JOIN_MESSAGE_MAX_LENGTH = 1000
DIRECT_INVITATION_DAYS = 14


# Join requests ---------------------------------------------------------------------------


def request_to_join(
    *, user: User, community: Community, message: str, agreed_to_guidelines: bool
) -> JoinRequest:
    """Ask to join a restricted community. The person becomes a pending member whose
    agreement to the guidelines is already stored; managers decide."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Say in a sentence or two why you want to join."})
    if len(message) > JOIN_MESSAGE_MAX_LENGTH:
        raise ValidationError({"message": f"Keep it under {JOIN_MESSAGE_MAX_LENGTH} characters."})
    require_agreement(agreed_to_guidelines)
    with transaction.atomic(durable=True):
        community = lock_community(community)
        if community.visibility != Visibility.RESTRICTED:
            raise ValidationError("This community doesn't take join requests.")
        membership = locked_membership(user=user, community=community)
        refuse_banned(membership)
        if membership is not None and membership.status == MembershipStatus.ACTIVE:
            raise ValidationError("You are already a member of this community.")
        if membership is not None and membership.status == MembershipStatus.PENDING:
            raise ValidationError("Your request is already waiting for a manager.")
        membership = membership or Membership(user=user, community=community)
        membership.status = MembershipStatus.PENDING
        membership.role = Role.MEMBER
        membership.agreed_to_guidelines_at = timezone.now()
        membership.agreed_guidelines_version = community.guidelines_version
        save_membership(
            membership,
            ["status", "role", "agreed_to_guidelines_at", "agreed_guidelines_version"],
        )
        join_request = JoinRequest.objects.create(community=community, user=user, message=message)
        join_requested.send(sender=JoinRequest, join_request=join_request)
        return join_request


def _decide(*, actor: User, join_request: JoinRequest, approve: bool, message: str) -> JoinRequest:
    permissions.require(actor, "manage_community", join_request.community)
    message = (message or "").strip()
    if not approve and not message:
        raise ValidationError({"message": "Tell the person why, so they know what to do next."})
    with transaction.atomic(durable=True):
        community = lock_community(join_request.community)
        claimed = JoinRequest.objects.filter(
            pk=join_request.pk, status=JoinRequestStatus.PENDING
        ).update(
            status=JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_message=message,
        )
        if not claimed:
            raise StateError("This request has already been decided.")
        join_request.refresh_from_db()
        membership = locked_membership(user=join_request.user, community=community)
        if approve:
            activate_membership(user=join_request.user, community=community)
        elif membership is not None and membership.status == MembershipStatus.PENDING:
            membership.status = MembershipStatus.LEFT
            save_membership(membership, ["status"])
        AuditEntry.objects.create(
            community=community,
            actor=actor,
            action="join_approved" if approve else "join_declined",
            subject_user=join_request.user,
            reason=message,
        )
        enqueue_on_commit("communities.tasks.send_join_decision", join_request.pk)
    return join_request


def approve_join_request(
    *, actor: User, join_request: JoinRequest, message: str = ""
) -> JoinRequest:
    """A manager lets the requester in; they are told by email."""
    return _decide(actor=actor, join_request=join_request, approve=True, message=message)


def decline_join_request(*, actor: User, join_request: JoinRequest, message: str) -> JoinRequest:
    """A manager declines with a message; the requester is told by email."""
    return _decide(actor=actor, join_request=join_request, approve=False, message=message)


# Invitations -----------------------------------------------------------------------------


def signed_invitation(invitation: Invitation) -> str:
    """The value carried by the invitation's URL: the token, signed so it can't be forged."""
    return signing.dumps({"token": invitation.token}, salt=INVITATION_SALT)


def create_invitation_link(
    *, actor: User, community: Community, expires_in_days: int, max_uses: int
) -> Invitation:
    """A shareable link that expires and can be used `max_uses` times."""
    permissions.require(actor, "manage_community", community)
    errors = {}
    if not 1 <= int(expires_in_days) <= 90:
        errors["expires_in_days"] = "Choose between 1 and 90 days."
    if not 1 <= int(max_uses) <= 1000:
        errors["max_uses"] = "Choose between 1 and 1000 uses."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.create(
            community=community,
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=int(expires_in_days)),
            max_uses=int(max_uses),
        )
        _audit_invitation(invitation, actor, "invitation_created")
    return invitation


def _audit_invitation(invitation: Invitation, actor: User, action: str) -> None:
    # The address of an email invitation stays out of the log: the invitations page keeps it.
    AuditEntry.objects.create(
        community=invitation.community,
        actor=actor,
        action=action,
        subject_user=invitation.invitee,
        target=invitation,
    )


def _check_invitation_limits(*, actor: User, address: str) -> None:
    """Refuse an invitation past `TRELLIS_INVITATIONS_PER_MANAGER_PER_HOUR` for the manager or
    `TRELLIS_INVITATIONS_PER_ADDRESS_PER_DAY` for the address. Call inside the transaction,
    after locking the manager's row."""
    now = timezone.now()
    addressed = Q(invitee__isnull=False) | ~Q(email="")
    per_hour = settings.TRELLIS_INVITATIONS_PER_MANAGER_PER_HOUR
    mine = list(
        Invitation.objects.filter(addressed, created_by=actor, created_at__gt=now - HOUR)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:per_hour]
    )
    if len(mine) >= per_hour:
        raise RateLimited(
            f"You can send {per_hour} invitations an hour, and you have reached that. "
            f"Send more in {timeuntil(mine[0] + HOUR)}, or share an invitation link.",
            retry_at=mine[0] + HOUR,
        )
    per_day = settings.TRELLIS_INVITATIONS_PER_ADDRESS_PER_DAY
    received = list(
        Invitation.objects.filter(
            Q(email__iexact=address) | Q(invitee__email__iexact=address),
            created_at__gt=now - DAY,
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)[:per_day]
    )
    if len(received) >= per_day:
        raise RateLimited(
            f"One address can receive {per_day} invitations a day, and this one has. "
            f"Try again in {timeuntil(received[0] + DAY)}.",
            retry_at=received[0] + DAY,
        )


def _lock_inviter(actor: User) -> None:
    # One manager's invitations queue behind each other, so two tabs can't both slip under
    # the hourly limit.
    User.objects.select_for_update().filter(pk=actor.pk).first()


def invite_by_email(*, actor: User, community: Community, email: str) -> Invitation:
    """Invite whoever owns `email` to the community and to Trellis: the same invitation and
    the same answer whether or not the address has an account, is a member or is banned (a
    manager learns nothing about who owns an address). The link works for one person who
    has confirmed that address; people without an account create one with it first."""
    permissions.require(actor, "manage_community", community)
    address = single_line(email).lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"person": "That is not an email address."}) from None
    with transaction.atomic(durable=True):
        _lock_inviter(actor)
        _check_invitation_limits(actor=actor, address=address)
        invitation = Invitation.objects.create(
            community=community,
            created_by=actor,
            email=address,
            expires_at=timezone.now() + timedelta(days=DIRECT_INVITATION_DAYS),
            max_uses=1,
        )
        _audit_invitation(invitation, actor, "invitation_created")
        enqueue_on_commit("communities.tasks.send_invitation", invitation.pk)
    return invitation


def owns_address(user: User, address: str) -> bool:
    """Whether `user` has confirmed `address` (allauth keeps every confirmed address)."""
    return EmailAddress.objects.filter(
        user_id=user.pk, email__iexact=address, verified=True
    ).exists()


def invite_user(*, actor: User, community: Community, invitee: User) -> Invitation:
    """Invite one existing person by their handle; they get an email with a link only they
    can use."""
    permissions.require(actor, "manage_community", community)
    with transaction.atomic(durable=True):
        _lock_inviter(actor)
        _check_invitation_limits(actor=actor, address=invitee.email)
        community = lock_community(community)
        membership = locked_membership(user=invitee, community=community)
        if membership is not None and membership.status == MembershipStatus.BANNED:
            raise ValidationError(f"{invitee.public_name} is banned from this community.")
        if membership is not None and membership.status == MembershipStatus.ACTIVE:
            raise ValidationError(f"{invitee.public_name} is already a member.")
        invitation = Invitation.objects.create(
            community=community,
            created_by=actor,
            invitee=invitee,
            expires_at=timezone.now() + timedelta(days=DIRECT_INVITATION_DAYS),
            max_uses=1,
        )
        _audit_invitation(invitation, actor, "invitation_created")
        enqueue_on_commit("communities.tasks.send_invitation", invitation.pk)
    return invitation


def revoke_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    permissions.require(actor, "manage_community", invitation.community)
    with transaction.atomic(durable=True):
        revoked = Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not revoked:
            raise StateError("This invitation was already withdrawn.")
        _audit_invitation(invitation, actor, "invitation_revoked")
    invitation.refresh_from_db()
    return invitation


def refuse_someone_elses(invitation: Invitation, user: User) -> None:
    """An invitation addressed to a person or an address is only for them."""
    if invitation.invitee_id is not None and invitation.invitee_id != user.pk:
        raise NotAllowed("This invitation was sent to someone else.")
    if invitation.email and not owns_address(user, invitation.email):
        raise NotAllowed(
            f"This invitation was sent to {invitation.email}. Sign in with the account that "
            "uses that address, or add and confirm it under your email settings first."
        )


def invitation_from_signed(signed: str) -> Invitation:
    """The invitation behind a link, or a ValidationError that says plainly why it won't do."""
    try:
        token = signing.loads(signed, salt=INVITATION_SALT)["token"]
    except (signing.BadSignature, KeyError, TypeError):
        raise ValidationError(
            "This invitation link is damaged or incomplete. Copy the whole link, or ask for a "
            "new one.",
            code="bad_signature",
        ) from None
    invitation = (
        Invitation.objects.select_related("community", "invitee").filter(token=token).first()
    )
    if invitation is None:
        raise ValidationError(
            "This invitation no longer exists. Ask a manager for a new one.", code="missing"
        )
    problem = invitation_problem(invitation)
    if problem:
        raise problem
    return invitation


def invitation_problem(invitation: Invitation) -> ValidationError | None:
    if invitation.revoked_at is not None:
        return ValidationError(
            "This invitation was withdrawn by a manager of the community.", code="revoked"
        )
    if invitation.expires_at <= timezone.now():
        return ValidationError(
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
            "Ask a manager of "
            "the community for a new one.",
            code="expired",
        )
    if invitation.use_count >= invitation.max_uses:
        return ValidationError(
            "This invitation has already been used as many times as it allows. Ask a manager "
            "for a new one.",
            code="used_up",
        )
    return None


def accept_invitation(*, user: User, token: str, agreed_to_guidelines: bool) -> Membership:
    """Join through an invitation link (`token` is the signed value from its URL).

    Counts one use with a conditional update, so two people racing for the last use can't
    both get in; expired, withdrawn, used-up and forged links each say so."""
    invitation = invitation_from_signed(token)
    refuse_someone_elses(invitation, user)
    require_agreement(agreed_to_guidelines)
    with transaction.atomic(durable=True):
        community = lock_community(invitation.community)
        membership = locked_membership(user=user, community=community)
        refuse_banned(membership)
        if membership is not None and membership.status == MembershipStatus.ACTIVE:
            raise ValidationError("You are already a member of this community.")
        used = Invitation.objects.filter(
            Q(pk=invitation.pk, revoked_at__isnull=True, expires_at__gt=timezone.now()),
            use_count__lt=F("max_uses"),
        ).update(use_count=F("use_count") + 1)
        if not used:
            invitation.refresh_from_db()
            raise invitation_problem(invitation) or StateError("This invitation can't be used.")
        JoinRequest.objects.filter(
            community=community, user_id=user.pk, status=JoinRequestStatus.PENDING
        ).update(status=JoinRequestStatus.WITHDRAWN)
        membership = activate_membership(user=user, community=community, agreed_at=timezone.now())
        invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
        return membership


# Emails ------------------------------------------------------------------------------------


def _send_email_invitation(invitation: Invitation) -> bool:
    """The one email an address gets, whether or not it has an account: it says how to
    sign in or sign up with that address, so nothing depends on who owns it."""
    community = invitation.community
    url = _absolute(reverse("communities:invitation-accept", args=[signed_invitation(invitation)]))
    inviter = invitation.created_by.public_name if invitation.created_by else "A manager"
    body = (
        f"{inviter} invited you to join {community.name} on Trellis.\n\n"
        f"{community.purpose}\n\n"
        f"Open the invitation here: {url}\n"
        f"Sign in if you already use Trellis with {invitation.email}, or create your Trellis "
        "account with this address; then read the community's guidelines and accept.\n"
        f"The invitation works until {invitation.expires_at:%d %B %Y}. If you don't know "
        "this community, ignore this email: nothing happens."
    )
    subject = f"An invitation to {community.name} on Trellis"
    return send_once(
        Invitation,
        invitation.pk,
        field="emailed_at",
        send=partial(send_mail, email_subject(subject), body, None, [invitation.email]),
    )


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_join_decision_email(*, join_request_id: int) -> bool:
    """Tell the requester whether a manager approved or declined their join request."""

    join_request = (
        JoinRequest.objects.select_related("user", "community").filter(pk=join_request_id).first()
    )
    decided = (JoinRequestStatus.APPROVED, JoinRequestStatus.DECLINED)
    if join_request is None or join_request.status not in decided:
        return False
    community = join_request.community
    url = _absolute(reverse("communities:community-detail", args=[community.slug]))
    if join_request.status == JoinRequestStatus.APPROVED:
        subject = f"Welcome to {community.name}"
        body = f"Your request to join {community.name} was approved. Come in: {url}"
    else:
        subject = f"Your request to join {community.name}"
        body = f"A manager of {community.name} declined your request to join."
    if join_request.decision_message:
        body += f"\n\nTheir message:\n{join_request.decision_message}"
    return send_once(
        JoinRequest,
        join_request.pk,
        field="decision_emailed_at",
        send=partial(send_mail, email_subject(subject), body, None, [join_request.user.email]),
    )


def send_invitation_email(*, invitation_id: int) -> bool:
    """Email a direct invitation to the person or the address it names."""

    invitation = (
        Invitation.objects.select_related("community", "invitee", "created_by")
        .filter(Q(invitee__isnull=False) | ~Q(email=""), pk=invitation_id)
        .first()
    )
    if invitation is None or invitation_problem(invitation):
        return False
    if invitation.email:
        return _send_email_invitation(invitation)
    community = invitation.community
    url = _absolute(reverse("communities:invitation-accept", args=[signed_invitation(invitation)]))
    inviter = invitation.created_by.public_name if invitation.created_by else "A manager"
    body = (
        f"{inviter} invited you to join {community.name} on Trellis.\n\n"
        f"{community.purpose}\n\nRead its guidelines and accept here: {url}\n"
        # The day in the invitee's own zone.
        f"The invitation works until "
        f"{invitation.expires_at.astimezone(zone_of(invitation.invitee)):%d %B %Y}."
    )
    invitee = invitation.invitee
    if invitee is None:  # the query above takes only invitations that name someone
        return False
    subject = f"An invitation to {community.name}"
    return send_once(
        Invitation,
        invitation.pk,
        field="emailed_at",
        send=partial(send_mail, email_subject(subject), body, None, [invitee.email]),
    )
