from django import forms

from communities.core.forms.fields import SingleLineField
from communities.discussions.forms.threads import _body_field
from communities.discussions.models.prompts import PromptKind
from communities.discussions.models.threads import TITLE_MAX_LENGTH


class PromptForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of prompt", choices=PromptKind.choices)
    title = SingleLineField(max_length=TITLE_MAX_LENGTH, required=False)
    body = _body_field("Prompt")
    tag_names = SingleLineField(
        label="Tags",
        required=False,
        help_text="Up to 5, separated by commas, e.g. “facilitation, remote-work”.",
    )
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="In your timezone. Leave empty to publish now.",
        error_messages={"invalid": "Enter a date and time like 2026-03-01 09:00."},
    )

    def clean_tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("tag_names") or ""
        return [name for name in raw.replace(";", ",").split(",") if name.strip()]
