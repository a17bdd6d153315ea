"""Who may do what in the knowledge base. Reading is decided by `selectors.readable_articles`."""

from communities.public import (
    MembershipStatus,
    NotAllowed,
    Role,
    can_manage_community,
    can_moderate_community,
    membership_of,
)

EDITORS_GROUP = "Knowledge editors"


def is_editor(user) -> bool:
    """Knowledge editors (the Wagtail group), superusers and staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_knowledge_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITORS_GROUP).exists()
        user._knowledge_editor = cached
    return cached


def is_solved(thread) -> bool:
    return bool(thread.accepted_answer_id or thread.verified_answer_id)


def can_harvest(user, thread) -> bool:
    """Moderators and managers of the thread's community may harvest any of its threads;
    editors and champions may harvest a thread with an accepted or verified answer. Circle
    threads and hidden threads stay where they are. The caller has checked that `user` may
    read the thread."""
    if not getattr(user, "is_authenticated", False) or thread.circle_id or thread.is_hidden:
        return False
    if can_moderate_community(user, thread.community):
        return True
    if not is_solved(thread):
        return False
    if is_editor(user):
        return True
    membership = membership_of(user, thread.community)
    return bool(membership and membership.is_active and membership.role == Role.CHAMPION)


def harvest_refusal(user, thread) -> str | None:
    """Why `user` may not harvest `thread`, written for them; None when they may."""
    if can_harvest(user, thread):
        return None
    if thread.circle_id:
        return "Circle threads stay in their circle; they can't be harvested."
    if thread.is_hidden:
        return "This thread is hidden by moderators; it can't be harvested."
    if not is_solved(thread):
        return (
            "Only threads with an accepted or verified answer can be harvested; a moderator "
            "or manager of the community can harvest any thread."
        )
    return "You don't have permission to harvest this thread."


def can_curate(user, article) -> bool:
    """Verify, mark obsolete: editors, and the article's owner."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_editor(user) or article.owner_id == user.pk


def require_curate(user, article) -> None:
    if not can_curate(user, article):
        raise NotAllowed("Only editors and the article's owner can do that.")


def require_editor(user) -> None:
    if not is_editor(user):
        raise NotAllowed("Only knowledge editors can do that.")


def is_circle_member(user, circle) -> bool:
    """An active member of `circle` (remembered on the user for the request)."""
    from communities.models import CircleMembership

    if not getattr(user, "is_authenticated", False):
        return False
    known = user.__dict__.setdefault("_knowledge_circles", {})
    if circle.pk not in known:
        known[circle.pk] = CircleMembership.objects.filter(
            circle_id=circle.pk, user_id=user.pk, status="active"
        ).exists()
    return known[circle.pk]


def meeting_harvest_refusal(user, meeting) -> str | None:
    """Why `user` may not harvest `meeting`'s notes into a lesson, written for them; None when
    they may. Only the circle's active members see a meeting, so only they may."""
    if not is_circle_member(user, meeting.circle):
        return "That meeting isn't there, or you can't see it."
    if meeting.is_cancelled:
        return "This meeting was cancelled; there are no notes to harvest."
    if not meeting.notes.strip():
        return "This meeting has no notes yet; write them first, then harvest a lesson."
    return None


def can_share_lesson(user, article, *, meeting=None) -> bool:
    """The facilitator of the meeting a lesson came from records the circle's agreement."""
    meeting = meeting or article.source_meeting
    return bool(
        getattr(user, "is_authenticated", False)
        and meeting is not None
        and meeting.facilitator_id == user.pk
        and is_circle_member(user, meeting.circle)
    )


def manages_any_community(user) -> bool:
    """An active manager of some community: they may open the Wagtail admin to edit their
    community's articles (`auth.CommunityManagerAdminAccess`)."""
    from communities.models import Membership

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_knowledge_manager", None)
    if cached is None:
        cached = Membership.objects.filter(
            user_id=user.pk, status=MembershipStatus.ACTIVE, role=Role.MANAGER
        ).exists()
        user._knowledge_manager = cached
    return cached


def manages_source_community(user, article) -> bool:
    """A manager of the community the article came from (editing it in the admin, submitting
    it to the editors' workflow; publishing stays with editors)."""
    if not article.source_community_id or not manages_any_community(user):
        return False
    return can_manage_community(user, article.source_community)
