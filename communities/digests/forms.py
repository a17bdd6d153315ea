from django import forms

from communities.digests.models import Weekday

FREQUENCIES = [("daily", "Daily"), ("weekly", "Weekly"), ("never", "Never")]


class DigestSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Email me a digest", choices=FREQUENCIES, widget=forms.RadioSelect
    )
    weekday = forms.TypedChoiceField(label="Weekly digest on", choices=Weekday.choices, coerce=int)
    wants_escalations = forms.BooleanField(
        label="Email me questions waiting for an answer that match my expertise",
        required=False,
    )
