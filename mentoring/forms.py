"""Forms of the mentoring pages; the services check everything again and have the last word."""

import zoneinfo

from django import forms

from communities.public import SingleLineField

from .models import CAPACITY_MAX, CAPACITY_MIN, MatchingMode, MentorEligibility, ProgrammeKind


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


HOURS = [(h, f"{h:02d}:00") for h in range(24)]


class ProgrammeForm(forms.Form):
    name = SingleLineField(max_length=120)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    kind = forms.ChoiceField(choices=ProgrammeKind.choices)
    mentor_eligibility = forms.ChoiceField(
        label="Who may mentor", choices=MentorEligibility.choices
    )
    matching_mode = forms.ChoiceField(label="Matching", choices=MatchingMode.choices)
    cadence_days = forms.IntegerField(
        label="Sessions every (days)", min_value=1, max_value=90, initial=14
    )
    length_days = forms.IntegerField(
        label="Relationship length (days)", min_value=7, max_value=730, initial=180
    )
    request_deadline_days = forms.IntegerField(
        label="Days a mentor has to answer", min_value=1, max_value=30, initial=5
    )
    experience_options = forms.CharField(
        label="Lived experience the programme names",
        required=False,
        max_length=500,
        help_text="Comma-separated, e.g. career changer, first-generation, returning parent.",
    )
    guide = forms.CharField(
        label="Guide for mentors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text="Markdown. Mentors and buddies read it before their first session.",
    )
    weight_topics = forms.FloatField(min_value=0, max_value=10, initial=4)
    weight_experience = forms.FloatField(min_value=0, max_value=10, initial=2)
    weight_timezone = forms.FloatField(min_value=0, max_value=10, initial=2)
    weight_language = forms.FloatField(min_value=0, max_value=10, initial=1)
    weight_activity = forms.FloatField(
        label="Weight of community activity", min_value=0, max_value=10, initial=2
    )


class ProgrammeEditForm(ProgrammeForm):
    is_open = forms.BooleanField(
        label="Open for new mentors and mentees", required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["matching_mode"]


class _AvailabilityForm(forms.Form):
    topics = forms.CharField(
        max_length=400, help_text="Comma-separated tags, e.g. sql, airflow, dbt."
    )
    experiences = forms.CharField(
        label="Lived experience", required=False, max_length=500, help_text=""
    )
    timezone = forms.ChoiceField(choices=timezone_choices)
    hours_from = forms.TypedChoiceField(label="Available from", choices=HOURS, coerce=int)
    hours_to = forms.TypedChoiceField(label="Available until", choices=HOURS, coerce=int)
    languages = forms.CharField(max_length=200, help_text="Comma-separated, e.g. English, Spanish.")

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        options = programme.experience_choices if programme else []
        self.fields["experiences"].help_text = (
            "Comma-separated, from: " + ", ".join(options)
            if options
            else "This programme names no lived experience."
        )


class MentorProfileForm(_AvailabilityForm):
    capacity = forms.IntegerField(
        min_value=CAPACITY_MIN,
        max_value=CAPACITY_MAX,
        initial=2,
        help_text=f"How many mentees at once ({CAPACITY_MIN}-{CAPACITY_MAX}).",
    )
    pitch = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, required=False
    )
    field_order = ["topics", "capacity", "experiences", "timezone", "hours_from", "hours_to"]


class MenteeRequestForm(_AvailabilityForm):
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="In your own words: what do you want to be able to do?",
    )
    preferred_mentor = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No preference",
        help_text="Optional. Matching gives this mentor a head start, if they have room.",
    )
    field_order = ["goals", "topics"]

    def __init__(self, *args, programme=None, **kwargs):
        from .models import MentorProfile

        super().__init__(*args, programme=programme, **kwargs)
        self.fields["preferred_mentor"].queryset = (
            MentorProfile.objects.filter(programme=programme, is_active=True)
            .select_related("user")
            .order_by("user__display_name", "user__username")
        )
        self.fields["preferred_mentor"].label_from_instance = lambda m: m.user.public_name


class AnswerForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False
    )


class GoalForm(forms.Form):
    title = SingleLineField(max_length=200)
    why = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)
    target_on = forms.DateField(
        label="Target date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class GoalProgressForm(forms.Form):
    progress = forms.IntegerField(label="Progress (%)")
    comment = forms.CharField(max_length=500, required=False)
    is_done = forms.BooleanField(label="Done", required=False)


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    minutes = forms.IntegerField(label="Length in minutes", initial=45)
    topics = forms.CharField(max_length=300, required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
        help_text="Only the two of you read these.",
    )
    action_items = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text="They are shown again when you log the next session.",
    )


class PlanForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Next session",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label="Length in minutes", initial=60)


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label="Your reflection", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    rating = forms.TypedChoiceField(
        label="How much did it help?",
        choices=[(i, f"{i}") for i in range(1, 6)],
        coerce=int,
    )
