from django import forms

from communities.core.forms.fields import SingleLineField
from communities.core.forms.submissions import submission_token_field
from communities.core.models.communities import Community, CommunityKind, Role, Stage
from communities.core.models.tags import parse_tag_names

AGREE_LABEL = "I agree to the guidelines"


class CommunityForm(forms.ModelForm):
    tag_names = SingleLineField(
        label="Tags",
        required=False,
        help_text="Comma-separated topics, e.g. “facilitation, onboarding”.",
    )
    submission_token = submission_token_field()

    class Meta:
        model = Community
        fields = [
            "name",
            "slug",
            "purpose",
            "audience",
            "guidelines",
            "kind",
            "visibility",
            "is_chatham_house",
            "tag_names",
            "flag_hide_threshold",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "guidelines": forms.Textarea(attrs={"rows": 8}),
        }
        field_classes = {"name": SingleLineField}
        help_texts = {
            "slug": "The address: /c/your-slug/. Lowercase letters, digits and hyphens.",
            "guidelines": "Markdown. Members agree to these when they join; changing them asks "
            "every member to agree again.",
            "is_chatham_house": "What is said here may be used, but never attributed outside.",
            "flag_hide_threshold": "A thread or reply is hidden until a moderator reviews it "
            "when the weights of its open flags add up to this; the moderation queue says what "
            "each flag weighs.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].required = True
        self.fields["purpose"].error_messages["required"] = (
            "Say in a sentence or two what the community is for."
        )
        if not self.instance.pk:
            # A new community starts with the default; managers tune it once flags come in.
            del self.fields["flag_hide_threshold"]
        else:
            self.fields["flag_hide_threshold"].required = False
        if self.instance.pk:
            del self.fields["slug"]
            del self.fields["submission_token"]
            if not self.is_bound:
                self.initial["tag_names"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_flag_hide_threshold(self) -> float:
        value = self.cleaned_data["flag_hide_threshold"]
        return self.instance.flag_hide_threshold if value is None else value

    def clean_tag_names(self) -> list[str]:
        return parse_tag_names(self.cleaned_data["tag_names"])

    def validate_unique(self):
        # The service checks the slug and says so in words a person can act on.
        pass

    def _post_clean(self):
        # Validation lives in the services; the form only parses input.
        pass


class DirectoryFilterForm(forms.Form):
    q = SingleLineField(required=False, label="Search")
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *CommunityKind.choices])
    stage = forms.ChoiceField(required=False, choices=[("", "Any stage"), *Stage.choices])
    tag = SingleLineField(required=False)


class JoinForm(forms.Form):
    agreed_to_guidelines = forms.BooleanField(
        label=AGREE_LABEL,
        required=True,
        error_messages={"required": "Tick “I agree to the guidelines” to join; read them first."},
    )


class JoinRequestForm(JoinForm):
    message = forms.CharField(
        label="Why do you want to join?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Say in a sentence or two why you want to join."},
    )
    field_order = ["message", "agreed_to_guidelines"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    message = forms.CharField(
        label="Message to the person",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    reason = forms.CharField(required=False, max_length=500, label="Note for the audit log")


class RemoveForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("remove", "Remove (they may join again)"),
            ("ban", "Ban (they can never rejoin)"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give a reason; it is kept in the audit log."},
    )


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label="New stage", choices=Stage.choices)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the community is moving; it shows in the history."},
    )


class InvitationLinkForm(forms.Form):
    expires_in_days = forms.IntegerField(
        label="Works for (days)", initial=14, min_value=1, max_value=90
    )
    max_uses = forms.IntegerField(label="Number of uses", initial=10, min_value=1, max_value=1000)


class DirectInvitationForm(forms.Form):
    person = SingleLineField(label="Handle or email of the person to invite", max_length=254)
