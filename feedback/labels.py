"""Names as each viewer may see them under the round's anonymity mode."""

from feedback import permissions


def author_label(round_, submission, viewer, *, is_owner: bool) -> str:
    if is_owner or not round_.hides_authors or submission.author_id == viewer.pk:
        return submission.author.public_name
    return f"Submission {submission.number}"


def reviewer_label(round_, review, index: int, viewer, *, is_owner: bool) -> str:
    if is_owner or not round_.hides_reviewers or review.reviewer_id == viewer.pk:
        return review.reviewer.public_name if review.reviewer_id else "Unassigned"
    return f"Reviewer {index}"


def is_owner(viewer, round_) -> bool:
    return permissions.can_manage_round(viewer, round_)
