from django import forms

from communities.core.forms.fields import SingleLineField
from communities.core.models.people import BIO_MAX_LENGTH, User, timezone_choices
from communities.core.models.tags import parse_tag_names


class ProfileForm(forms.ModelForm):
    expertise_names = SingleLineField(
        label="Expertise",
        required=False,
        help_text="Comma-separated tags, e.g. “facilitation, python, peer-review”.",
    )
    timezone = forms.ChoiceField(choices=timezone_choices)
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=BIO_MAX_LENGTH,
        required=False,
        help_text=f"Up to {BIO_MAX_LENGTH} characters; Markdown for links, lists and emphasis.",
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "bio",
            "motivation",
            "expertise_names",
            "timezone",
            "digest_frequency",
            "notify_by_email",
            "notify_on_follows",
        ]
        field_classes = {"display_name": SingleLineField}
        widgets = {"motivation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expertise_names"] = ", ".join(
                tag.name for tag in self.instance.expertise.all()
            )

    def clean_expertise_names(self) -> list[str]:
        return parse_tag_names(self.cleaned_data["expertise_names"])
