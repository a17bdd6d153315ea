"""Articles searchable beside threads: a stored tsvector with a GIN index on PostgreSQL,
ranked like the threads' one so /search/ can merge them. Other databases keep Wagtail's
search backend and are untouched."""

from django.db import migrations

SEARCH_SQL = [
    (
        "ALTER TABLE knowledge_articlepage ADD COLUMN search_vector tsvector",
        "ALTER TABLE knowledge_articlepage DROP COLUMN search_vector",
    ),
    (
        "CREATE INDEX knowledge_article_search_gin ON knowledge_articlepage "
        "USING gin (search_vector) WITH (fastupdate = off)",
        "DROP INDEX IF EXISTS knowledge_article_search_gin",
    ),
]


def add_search_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from knowledge.search import REFRESH_SQL

    for forward, _ in SEARCH_SQL:
        schema_editor.execute(forward)
    schema_editor.execute(REFRESH_SQL)


def drop_search_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, backward in reversed(SEARCH_SQL):
        schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0004_editors_and_review_workflow"),
    ]

    operations = [
        migrations.RunPython(add_search_column, drop_search_column),
    ]
