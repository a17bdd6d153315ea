"""Handing in work, replacing it before the deadline, and revising it with a reflection."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from communities.public import render_markdown
from feedback import permissions
from feedback.errors import BadRequest, StateError
from feedback.models import (
    Attachment,
    Phase,
    Round,
    Submission,
    SubmissionVersion,
    VersionKind,
)

MAX_FILES = 5
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]


def max_attachment_bytes() -> int:
    return getattr(settings, "TRELLIS_FEEDBACK_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)


def sniff(file: UploadedFile) -> tuple[str, str]:
    """(content type, extension) from the file's bytes, not its name; or a clear error."""
    limit = max_attachment_bytes()
    if file.size > limit:
        raise BadRequest(
            f"'{file.name}' is {file.size // 1024} KB; attachments may be at most "
            f"{limit // (1024 * 1024)} MB."
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "text/plain", "txt"
    raise BadRequest(
        f"'{file.name}' is not a PDF, an image (PNG, JPEG, GIF, WebP) or plain text; "
        "other kinds of file are refused."
    )


def _check_files(files) -> list[tuple[UploadedFile, str, str]]:
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise BadRequest(f"Attach at most {MAX_FILES} files.")
    return [(f, *sniff(f)) for f in files]


def _store(version: SubmissionVersion, checked) -> None:
    for file, content_type, extension in checked:
        Attachment.objects.create(
            version=version,
            file=file,
            content_type=content_type,
            extension=extension,
            size=file.size,
        )


def submit_work(*, actor, round_: Round, body: str, files=()) -> Submission:
    """Hand in work during the submission phase, or replace it until the deadline. New
    attachments replace the earlier ones; none keeps them."""
    permissions.require(actor, "submit", round_)
    if not body.strip():
        raise BadRequest("Write your submission (attachments come with text, not instead).")
    checked = _check_files(files)
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.phase != Phase.SUBMISSION:
            raise StateError("This round is not taking submissions now.")
        if timezone.now() >= round_.submission_due_at:
            raise StateError(
                "The submission deadline passed on "
                f"{timezone.localtime(round_.submission_due_at):%d %b %Y at %H:%M}."
            )
        submission = Submission.objects.filter(round=round_, author=actor).first()
        if submission is None:
            number = (round_.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
            submission = Submission.objects.create(
                round=round_, author=actor, number=number, version_count=1
            )
            Round.objects.filter(pk=round_.pk).update(submission_count=F("submission_count") + 1)
            version = SubmissionVersion.objects.create(
                submission=submission,
                number=1,
                kind=VersionKind.ORIGINAL,
                body=body,
                body_html=render_markdown(body),
            )
        else:
            version = submission.versions.get(number=1)
            version.body = body
            version.body_html = render_markdown(body)
            version.save(update_fields=["body", "body_html", "updated_at"])
            if checked:
                version.attachments.all().delete()
        _store(version, checked)
    return submission


def revise_submission(
    *, actor, submission: Submission, body: str, reflection: str, files=()
) -> SubmissionVersion:
    """In the revision phase the author writes a new version and a reflection on which
    feedback they acted on and why; until the deadline they may rewrite that revision."""
    if submission.author_id != actor.pk:
        permissions.require(actor, "manage_round", submission.round, hide=True)
        raise StateError("Only the author revises their submission.")
    if not body.strip():
        raise BadRequest("Write the revised version.")
    if len(reflection.strip()) < 10:
        raise BadRequest(
            "Write a reflection: which feedback you acted on, which you did not, and why."
        )
    checked = _check_files(files)
    with transaction.atomic(durable=True):
        round_ = Round.objects.select_for_update().get(pk=submission.round_id)
        if round_.phase != Phase.REVISION:
            raise StateError("Revisions are written in the revision phase.")
        if timezone.now() >= round_.revision_due_at:
            raise StateError("The revision deadline has passed.")
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        latest = submission.versions.order_by("-number").first()
        fields = {
            "body": body,
            "body_html": render_markdown(body),
            "reflection": reflection,
            "reflection_html": render_markdown(reflection),
        }
        if latest.kind == VersionKind.REVISION:
            for name, value in fields.items():
                setattr(latest, name, value)
            latest.save(update_fields=[*fields, "updated_at"])
            version = latest
            if checked:
                version.attachments.all().delete()
        else:
            version = SubmissionVersion.objects.create(
                submission=submission, number=latest.number + 1, kind=VersionKind.REVISION, **fields
            )
            submission.version_count = version.number
            submission.save(update_fields=["version_count", "updated_at"])
        _store(version, checked)
    return version
