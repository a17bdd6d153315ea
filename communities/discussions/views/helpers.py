"""Small pieces the thread, reply and search views share."""


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
