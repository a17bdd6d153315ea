from django import forms

from communities.digests.models import EmailKind, Weekday
from communities.public import email_kinds

FREQUENCIES = [("daily", "Daily"), ("weekly", "Weekly"), ("never", "Never")]


def email_field_name(kind: str) -> str:
    return f"email_{kind}"


class EmailSettingsForm(forms.Form):
    """The digest's frequency and weekday, then one box per other kind of email a member
    can turn off (each one-click unsubscribe link can be undone here)."""

    frequency = forms.ChoiceField(
        label="Email me a digest", choices=FREQUENCIES, widget=forms.RadioSelect
    )
    weekday = forms.TypedChoiceField(label="Weekly digest on", choices=Weekday.choices, coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in email_kinds():
            if kind.key == EmailKind.DIGEST:
                continue  # the frequency above
            self.fields[email_field_name(kind.key)] = forms.BooleanField(
                label=f"Email me {kind.label.removeprefix('emails ').removeprefix('email ')}"
                if kind.label.startswith("email")
                else f"Email me {kind.label}",
                required=False,
            )

    def emails(self) -> dict[str, bool]:
        """kind -> wanted, from the boxes."""
        prefix = email_field_name("")
        return {
            name.removeprefix(prefix): bool(value)
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }


class ClearBounceForm(forms.Form):
    confirm = forms.BooleanField(
        label="I checked: emails to this address reach me now",
        error_messages={"required": "Tick the box to confirm that the address works again."},
    )
