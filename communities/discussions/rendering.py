"""Bodies are rendered to safe HTML once, when they are written, and stored beside the source.

Pages show the stored `body_html`; nothing renders Markdown while serving a read. When the
sanitiser's rules change, `manage.py rerender_markdown` renders every stored body again.
"""

from collections.abc import Iterator

from django.db.models import Model

from communities.core.markdown import render_markdown

BATCH_SIZE = 500


def body_html(text: str) -> str:
    """What `body_html` holds for a body `text`: its sanitised HTML."""
    return str(render_markdown(text))


def _batches(model: type[Model], batch_size: int) -> Iterator[list]:
    last_pk = 0
    while True:
        rows = list(
            model._default_manager.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "body", "body_html")[:batch_size]
        )
        if not rows:
            return
        yield rows
        last_pk = rows[-1].pk


def rerender_bodies(model: type[Model], *, batch_size: int = BATCH_SIZE) -> int:
    """Render every row's body again, in batches by primary key; returns how many changed."""
    changed = 0
    for rows in _batches(model, batch_size):
        stale = []
        for row in rows:
            html = body_html(row.body)
            if html != row.body_html:
                row.body_html = html
                stale.append(row)
        model._default_manager.bulk_update(stale, ["body_html"])
        changed += len(stale)
    return changed
