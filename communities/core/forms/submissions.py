from django import forms

from communities.core.services.submissions import new_submission_token


def submission_token_field() -> forms.CharField:
    """A hidden token, new for each render of a creation form: the creating service claims
    it, so sending the same form twice creates one thing."""
    return forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_token
    )
