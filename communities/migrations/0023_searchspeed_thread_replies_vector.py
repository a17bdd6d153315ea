"""Search at a million posts: one indexed document per thread.

Each thread keeps `replies_vector`, the lexemes (stripped of positions, so its size is bounded
by the thread's vocabulary, not its length) of its replies that are not hidden. Triggers keep
it current in the write's own transaction: a new reply appends its lexemes; an edit, a hide or
unhide, a move or a delete rebuilds the thread's set from its replies' stored vectors. Search
then matches `search_vector || replies_vector` through one GIN index on the thread table, so a
query no longer unions every matching reply. PostgreSQL only, like migration 0011; the models
declare no field for it.
"""

from django.db import migrations

# An edit, a hide or unhide, a move or a delete: the thread's set from its visible replies'
# stored vectors (a thread at a time, so the cost is the thread's, never the site's).
FUNCTION = """
CREATE FUNCTION communities_post_replies_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT NEW.is_hidden THEN
            UPDATE communities_thread
               SET replies_vector = replies_vector || strip(NEW.search_vector)
             WHERE id = NEW.thread_id;
        END IF;
        RETURN NULL;
    END IF;
    UPDATE communities_thread SET replies_vector = (
        SELECT array_to_tsvector(coalesce(array_agg(DISTINCT u.lexeme), '{}'))
          FROM communities_post p CROSS JOIN LATERAL unnest(p.search_vector) u
         WHERE p.thread_id = OLD.thread_id AND NOT p.is_hidden
    ) WHERE id = OLD.thread_id;
    IF TG_OP = 'UPDATE' AND NEW.thread_id <> OLD.thread_id THEN
        UPDATE communities_thread SET replies_vector = (
            SELECT array_to_tsvector(coalesce(array_agg(DISTINCT u.lexeme), '{}'))
              FROM communities_post p CROSS JOIN LATERAL unnest(p.search_vector) u
             WHERE p.thread_id = NEW.thread_id AND NOT p.is_hidden
        ) WHERE id = NEW.thread_id;
    END IF;
    RETURN NULL;
END
$$
"""

FORWARD = [
    "ALTER TABLE communities_thread ADD COLUMN replies_vector tsvector NOT NULL DEFAULT ''",
    "UPDATE communities_thread t SET replies_vector = r.lexemes FROM ("
    "  SELECT p.thread_id, array_to_tsvector(array_agg(DISTINCT u.lexeme)) AS lexemes"
    "  FROM communities_post p CROSS JOIN LATERAL unnest(p.search_vector) u"
    "  WHERE NOT p.is_hidden GROUP BY p.thread_id"
    ") r WHERE t.id = r.thread_id",
    FUNCTION,
    "CREATE TRIGGER communities_post_replies_vector_insert AFTER INSERT ON communities_post "
    "FOR EACH ROW EXECUTE FUNCTION communities_post_replies_vector()",
    "CREATE TRIGGER communities_post_replies_vector_change "
    "AFTER UPDATE OF body, is_hidden, thread_id ON communities_post FOR EACH ROW "
    "WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden "
    "OR OLD.thread_id IS DISTINCT FROM NEW.thread_id) "
    "EXECUTE FUNCTION communities_post_replies_vector()",
    "CREATE TRIGGER communities_post_replies_vector_delete AFTER DELETE ON communities_post "
    "FOR EACH ROW EXECUTE FUNCTION communities_post_replies_vector()",
    # fastupdate off, as in 0011: every write pays its own index update, no request a flush.
    "CREATE INDEX communities_thread_document_gin ON communities_thread "
    "USING gin ((search_vector || replies_vector)) WITH (fastupdate = off)",
    # Search no longer reads the title-and-body index on its own.
    "DROP INDEX IF EXISTS communities_thread_search_gin",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS communities_thread_search_gin ON communities_thread "
    "USING gin (search_vector) WITH (fastupdate = off)",
    "DROP INDEX IF EXISTS communities_thread_document_gin",
    "DROP TRIGGER IF EXISTS communities_post_replies_vector_delete ON communities_post",
    "DROP TRIGGER IF EXISTS communities_post_replies_vector_change ON communities_post",
    "DROP TRIGGER IF EXISTS communities_post_replies_vector_insert ON communities_post",
    "DROP FUNCTION IF EXISTS communities_post_replies_vector()",
    "ALTER TABLE communities_thread DROP COLUMN IF EXISTS replies_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0022_listspeed_counters_and_list_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
