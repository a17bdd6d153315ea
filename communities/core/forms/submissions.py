from functools import lru_cache

from django import forms
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from communities.core.services.submissions import new_submission_token


def submission_token_field() -> forms.CharField:
    """A hidden token, new for each render of a creation form: the creating service claims
    it, so sending the same form twice creates one thing."""
    return forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_token
    )


# Letters only: it passes through escaping and attribute rendering unchanged.
_TOKEN_STAND_IN = "trellisSubmissionTokenStandIn"  # noqa: S105


def blank_form_fields(form_class: type[forms.Form], template: str = "components/form.html") -> str:
    """The fields of a new, unbound `form_class` as `template` renders them, with a fresh
    submission token. Rendered once per process (and language and URL prefix) and the token
    put in after: the same markup, without rendering each widget's template on every page
    that offers the form (the thread page's reply form cost a tenth of the page)."""
    html = _blank_fields(form_class, template, get_language(), get_urlconf(), get_script_prefix())
    return mark_safe(html.replace(_TOKEN_STAND_IN, new_submission_token()))  # noqa: S308


@lru_cache(maxsize=64)
def _blank_fields(form_class, template, language, urlconf, script_prefix) -> str:
    form = form_class(initial={"submission_token": _TOKEN_STAND_IN})
    html = render_to_string(template, {"form": form})
    if html.count(_TOKEN_STAND_IN) != 1:
        raise ValueError(f"{form_class.__name__} must have one submission token field")
    return html
