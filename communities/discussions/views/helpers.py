"""Small pieces the thread, reply and search views share."""

from django.core.exceptions import ValidationError


def add_service_error(form, error: ValidationError, *, rename: dict[str, str] | None = None):
    """Show a service's ValidationError on the form: on its field when the form has it."""
    rename = {"tags": "tag_names", **(rename or {})}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = rename.get(field, field)
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
