"""Forms of peer review: thin, the services own the rules."""

from django import forms
from django.utils import timezone

from communities.models import Circle
from communities.public import SingleLineField
from feedback.models import Anonymity, Participation, Rubric
from feedback.services.rubrics import SPEC_HELP


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


FILES_HELP = "PDF, images (PNG, JPEG, GIF, WebP) or plain text; up to 5 files of 5 MB each."


class RubricForm(forms.Form):
    title = SingleLineField(max_length=160)
    circle = forms.ModelChoiceField(
        queryset=Circle.objects.none(),
        required=False,
        help_text="Leave empty for a rubric of the whole community.",
    )
    spec = forms.CharField(
        label="Criteria and levels",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=SPEC_HELP,
    )


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class RoundForm(forms.Form):
    title = SingleLineField(max_length=160)
    instructions = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), help_text="Markdown")
    rubric = forms.ModelChoiceField(queryset=Rubric.objects.none())
    circle = forms.ModelChoiceField(
        queryset=Circle.objects.none(),
        required=False,
        help_text="Leave empty for a round open to the whole community.",
    )
    reviewers_per_submission = forms.TypedChoiceField(
        choices=[(2, "2"), (3, "3")], coerce=int, initial=2
    )
    anonymity = forms.ChoiceField(choices=Anonymity.choices, initial=Anonymity.DOUBLE)
    participation = forms.ChoiceField(
        choices=Participation.choices, initial=Participation.SUBMITTERS
    )
    exclude_circle_peers = forms.BooleanField(
        required=False, label="Nobody reviews someone from a circle they share"
    )
    submission_due_at = forms.DateTimeField(widget=DateTimeLocal())
    review_due_at = forms.DateTimeField(widget=DateTimeLocal())
    revision_due_at = forms.DateTimeField(widget=DateTimeLocal())
    rereview_due_at = forms.DateTimeField(widget=DateTimeLocal(), label="Re-review due at")
    lease_hours = forms.IntegerField(
        min_value=1,
        max_value=72,
        initial=8,
        help_text="A started review keeps its claim this long after its deadline.",
    )

    def __init__(self, *args, community, circles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = Rubric.objects.filter(community=community)
        self.fields["circle"].queryset = circles


class SubmissionForm(forms.Form):
    body = forms.CharField(
        label="Your submission", widget=forms.Textarea(attrs={"rows": 14}), help_text="Markdown"
    )
    files = MultipleFileField(label="Attachments", help_text=FILES_HELP)


class RevisionForm(forms.Form):
    body = forms.CharField(
        label="Revised version", widget=forms.Textarea(attrs={"rows": 14}), help_text="Markdown"
    )
    reflection = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Which feedback did you act on, which not, and why?",
    )
    files = MultipleFileField(label="Attachments", help_text=FILES_HELP)


def level_fields(form: forms.Form, criteria, *, comments: bool) -> None:
    for criterion in criteria:
        form.fields[f"level_{criterion.pk}"] = forms.ChoiceField(
            label=criterion.title,
            help_text=criterion.description,
            choices=[
                (level.pk, f"{level.label} ({level.points}) {level.description}".strip())
                for level in criterion.levels.all()
            ],
            widget=forms.RadioSelect,
            required=False,
        )
        if comments:
            form.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.title.lower()}",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


def chosen_levels(form: forms.Form, criteria) -> dict:
    return {c.pk: form.cleaned_data.get(f"level_{c.pk}") or None for c in criteria}


class ReviewForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        level_fields(self, criteria, comments=True)
        self.fields["strengths"] = forms.CharField(
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="At least one thing that works, in a few words.",
        )
        self.fields["improvements"] = forms.CharField(
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="At least one thing to improve, in a few words.",
        )


class CalibrationForm(forms.Form):
    def __init__(self, *args, criteria, explain: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        level_fields(self, criteria, comments=False)
        self.fields["explanation"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Where you differ from the reference, say why (or change your levels).",
        )


class CalibrationExampleForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["body"] = forms.CharField(
            label="Sample submission", widget=forms.Textarea(attrs={"rows": 8})
        )
        level_fields(self, criteria, comments=False)


class HelpfulnessForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[("", "Choose"), *((i, str(i)) for i in range(1, 6))],
        coerce=int,
        label="How helpful (1-5)",
    )
    note = forms.CharField(required=False, max_length=2000, label="Note (optional)")


class OverrideForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    points = forms.IntegerField(min_value=0)
    reason = forms.CharField(max_length=2000)


class OutsideReviewerForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username of the reviewer to add")


def default_deadlines() -> dict:
    from datetime import timedelta

    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    return {
        "submission_due_at": start + timedelta(days=7),
        "review_due_at": start + timedelta(days=14),
        "revision_due_at": start + timedelta(days=21),
        "rereview_due_at": start + timedelta(days=28),
    }
