from django import forms

from communities.core.text import single_line


class SingleLineField(forms.CharField):
    """A one-line text field (a name, a title, a tag list): control characters, newlines and
    NUL bytes become spaces before it is validated, through the same helper the services use."""

    def to_python(self, value):
        return single_line(super().to_python(value))
