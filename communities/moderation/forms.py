from django import forms

from communities.core.forms.fields import SingleLineField
from communities.moderation.models import FLAG_NOTE_MAX_LENGTH, FlagReason

MODERATION_ACTIONS = [
    ("hide", "Hide and uphold the flags"),
    ("restore", "Restore and dismiss the flags"),
    ("uphold", "Uphold the flags, keep it as it is"),
    ("dismiss", "Dismiss the flags"),
    ("lock", "Lock the thread"),
    ("unlock", "Unlock the thread"),
    ("move", "Move the thread"),
    ("duplicate", "Close as a duplicate"),
    ("warn", "Warn the author privately"),
    ("ban", "Ban the author"),
]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=FlagReason.choices, widget=forms.RadioSelect, label="What is wrong with it?"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="A note for the moderators",
        help_text=f"Optional, up to {FLAG_NOTE_MAX_LENGTH:,} characters; needed for “Other”.",
    )


class ModerationActionForm(forms.Form):
    # Lengths are checked by the services, which give the one clear message.
    thread = forms.IntegerField(widget=forms.HiddenInput)
    post = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(choices=MODERATION_ACTIONS)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    to_community = forms.SlugField(required=False)
    original = forms.IntegerField(required=False, min_value=1)


class VerifiedExpertForm(forms.Form):
    username = SingleLineField(max_length=30, label="Member's handle")
    tag_name = SingleLineField(max_length=40, label="Tag")
    reason = forms.CharField(max_length=500, required=False, label="Why (for the audit log)")
