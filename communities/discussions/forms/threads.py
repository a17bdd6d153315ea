from django import forms
from django.urls import reverse_lazy

from communities.core.forms.fields import SingleLineField
from communities.core.forms.submissions import submission_token_field
from communities.discussions.models.threads import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, ThreadKind

BODY_HELP = f"Markdown. Up to {BODY_MAX_LENGTH:,} characters."


def _body_field(label: str) -> forms.CharField:
    # No max_length here: the service gives the one clear message for oversized bodies.
    return forms.CharField(
        label=label,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "hx-post": reverse_lazy("communities:markdown-preview"),
                "hx-trigger": "input changed delay:400ms, load",
                "hx-target": "#markdown-preview",
            }
        ),
        help_text=BODY_HELP,
        required=False,
    )


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(choices=ThreadKind.choices, initial=ThreadKind.QUESTION)
    title = SingleLineField(max_length=TITLE_MAX_LENGTH, required=False)
    body = _body_field("Body")
    tag_names = SingleLineField(
        label="Tags",
        required=False,
        help_text="Up to 5, separated by commas, e.g. “facilitation, remote-work”.",
        widget=forms.TextInput(
            attrs={
                "list": "tag-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("communities:tag-suggest"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#tag-suggestions",
            }
        ),
    )
    circle = forms.TypedChoiceField(
        label="Where", required=False, coerce=int, empty_value=None, choices=[]
    )
    is_anonymous = forms.BooleanField(
        label="Ask anonymously (questions only)",
        help_text=(
            "Other members, moderators and managers never see that it was you. Only staff can "
            "ever learn who asked, through an audited reveal, and only for abuse."
        ),
        required=False,
    )
    submission_token = submission_token_field()

    def __init__(self, *args, circles=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("kind", "circle", "is_anonymous", "submission_token"):
                del self.fields[name]
        elif circles:
            self.fields["circle"].choices = [
                ("", "The whole community"),
                *[(circle.pk, f"Only my circle “{circle.name}”") for circle in circles],
            ]
        else:
            del self.fields["circle"]

    def clean_tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("tag_names") or ""
        return [name for name in raw.replace(";", ",").split(",") if name.strip()]


class ReplyForm(forms.Form):
    body = _body_field("Your reply")
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    submission_token = submission_token_field()


class RevealForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Written to the audit log with your name.",
    )
