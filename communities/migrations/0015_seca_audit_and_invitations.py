"""Invitations can be addressed to an email address (whoever confirms it may use them); tag
names may not end in a newline.

The audit log records the other community of a move apart from the reason, so its name is
shown only to managers who may know it exists. Earlier move entries wrote "Moved to <name>:
<reason>" into the reason; they are split the same way."""

from datetime import timedelta

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def _split(entry, sibling, word):
    prefix = f"Moved {word} {sibling.community.name}: "
    if entry.reason.startswith(prefix):
        return entry.reason[len(prefix) :]
    # The other community was renamed since: its old name ends at the first ": ".
    rest = entry.reason[len(f"Moved {word} ") :]
    return rest.split(": ", 1)[1] if ": " in rest else rest


def split_move_entries(apps, schema_editor):
    AuditEntry = apps.get_model("communities", "AuditEntry")
    moves = AuditEntry.objects.filter(action="move_thread", related_community__isnull=True)
    for entry in moves.select_related("community"):
        if not entry.reason.startswith(("Moved to ", "Moved from ")):
            continue
        sibling = (
            AuditEntry.objects.filter(
                action__in=["move_thread", "move_thread_in"],
                target_type_id=entry.target_type_id,
                target_id=entry.target_id,
                actor_id=entry.actor_id,
                created_at__range=(
                    entry.created_at - timedelta(minutes=1),
                    entry.created_at + timedelta(minutes=1),
                ),
            )
            .exclude(community_id=entry.community_id)
            .select_related("community")
            .first()
        )
        if sibling is None or sibling.community is None:
            continue
        outgoing = entry.reason.startswith("Moved to ")
        entry.reason = _split(entry, sibling, "to" if outgoing else "from")
        entry.related_community_id = sibling.community_id
        entry.action = "move_thread" if outgoing else "move_thread_in"
        entry.save(update_fields=["reason", "related_community", "action"])


def join_move_entries(apps, schema_editor):
    AuditEntry = apps.get_model("communities", "AuditEntry")
    moves = AuditEntry.objects.filter(
        action__in=["move_thread", "move_thread_in"], related_community__isnull=False
    ).select_related("related_community")
    for entry in moves:
        word = "to" if entry.action == "move_thread" else "from"
        entry.reason = f"Moved {word} {entry.related_community.name}: {entry.reason}"
        entry.action = "move_thread"
        entry.save(update_fields=["reason", "action"])


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0014_secb_submissions_revisions_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="related_community",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="communities.community",
            ),
        ),
        migrations.RunPython(split_move_entries, join_move_entries),
        migrations.AddField(
            model_name="invitation",
            name="email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        # A tag name may no longer end in a newline (`$` allowed one; `\Z` does not).
        migrations.AlterField(
            model_name="tag",
            name="name",
            field=models.CharField(
                max_length=40,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[a-z0-9][a-z0-9-]{0,39}\\Z",
                        "Tags use lowercase letters, digits and hyphens (up to 40 characters), "
                        "like “peer-review”.",
                    )
                ],
            ),
        ),
    ]
