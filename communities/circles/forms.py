from django import forms

from communities.circles.models import (
    CIRCLE_MAX_SIZE,
    CIRCLE_MIN_SIZE,
    PLACE_MAX_LENGTH,
    VIDEO_URL_MAX_LENGTH,
    Cadence,
    CircleKind,
    Weekday,
    validate_video_url,
)
from communities.circles.services.meetings import (
    COMMITMENT_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    REFLECTION_MAX_LENGTH,
)
from communities.core.forms.fields import SingleLineField
from communities.core.forms.submissions import submission_token_field
from communities.core.models.people import timezone_choices


def place_field(help_text: str) -> forms.CharField:
    return SingleLineField(max_length=PLACE_MAX_LENGTH, required=False, help_text=help_text)


def video_url_field(help_text: str) -> forms.CharField:
    # A plain text field with the one validator: only http(s) links, said clearly.
    return forms.CharField(
        label="Video link",
        max_length=VIDEO_URL_MAX_LENGTH,
        required=False,
        validators=[validate_video_url],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=help_text,
    )


class CircleForm(forms.Form):
    name = SingleLineField(max_length=120)
    kind = forms.ChoiceField(choices=CircleKind.choices)
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Why this circle meets, in a sentence or two.",
    )
    learning_goals = forms.CharField(
        label="Shared learning goals",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="What the members want to be able to do when the circle ends.",
    )
    cadence = forms.ChoiceField(choices=Cadence.choices)
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int)
    time_of_day = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    timezone = forms.ChoiceField(choices=timezone_choices, help_text="The time above is in it.")
    capacity = forms.IntegerField(
        min_value=CIRCLE_MIN_SIZE,
        max_value=CIRCLE_MAX_SIZE,
        initial=6,
        help_text=f"Between {CIRCLE_MIN_SIZE} and {CIRCLE_MAX_SIZE} people. "
        f"The circle starts meeting when {CIRCLE_MIN_SIZE} have joined.",
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=15, max_value=240, initial=60
    )
    place = place_field("Where the circle usually meets, if in person (optional).")
    video_url = video_url_field("The usual video call link, if it meets online (optional).")
    submission_token = submission_token_field()


class MeetingPlaceForm(forms.Form):
    place = place_field("Leave blank for the circle's usual place.")
    video_url = video_url_field("Leave blank for the circle's usual link.")


class NotesForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        help_text="Markdown. What was discussed, decided and learned.",
    )
    # The version of the notes this form was opened on; the save is refused if it changed.
    base_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class CommitmentForm(forms.Form):
    commitment = forms.CharField(
        label="My commitment for next time",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=COMMITMENT_MAX_LENGTH,
        required=False,
        help_text="One or two steps you will take before the next meeting.",
    )


class ReflectionForm(forms.Form):
    reflection = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=REFLECTION_MAX_LENGTH
    )
    rating = forms.TypedChoiceField(
        label="How useful was the meeting?",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
