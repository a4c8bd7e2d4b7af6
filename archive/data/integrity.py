"""Database triggers that keep the evidence sound whatever writes to the tables (created by the
migrations, on SQLite and PostgreSQL).

- A quotation's start/end must slice exactly its text out of its source's original text (or, with no
  source, out of its speech's text).
- A source's original text never changes once stored.
"""

# The same check before an insert and before an update of a quotation (SQLite has no INSERT OR UPDATE).
_SQLITE_SPAN_TRIGGER = """
    CREATE TRIGGER archive_quotation_span_{name} BEFORE {event} ON archive_quotation
    WHEN substr(
        COALESCE((SELECT original_text FROM archive_source WHERE id = NEW.source_id),
                 (SELECT text FROM archive_speech WHERE id = NEW.speech_id), ''),
        NEW.start + 1, NEW."end" - NEW.start) IS NOT NEW.text
      OR NEW."end" > length(COALESCE((SELECT original_text FROM archive_source WHERE id = NEW.source_id),
                                     (SELECT text FROM archive_speech WHERE id = NEW.speech_id), ''))
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: quotation span does not slice its text out of its source'); END
    """

SQLITE_FORWARD = [
    _SQLITE_SPAN_TRIGGER.format(name="insert", event="INSERT"),
    _SQLITE_SPAN_TRIGGER.format(name="update", event="UPDATE"),
    """
    CREATE TRIGGER archive_source_text_immutable BEFORE UPDATE OF original_text ON archive_source
    WHEN NEW.original_text IS NOT OLD.original_text
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: a source''s original text is never edited'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS archive_quotation_span_insert",
    "DROP TRIGGER IF EXISTS archive_quotation_span_update",
    "DROP TRIGGER IF EXISTS archive_source_text_immutable",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION archive_quotation_check_span() RETURNS trigger AS $$
    DECLARE context text;
    BEGIN
      IF NEW.source_id IS NOT NULL THEN
        SELECT original_text INTO context FROM archive_source WHERE id = NEW.source_id;
      ELSE
        SELECT text INTO context FROM archive_speech WHERE id = NEW.speech_id;
      END IF;
      -- Nested checks: PostgreSQL does not promise to short-circuit OR, and substr() refuses a negative length.
      IF context IS NULL OR NEW."end" < NEW.start OR NEW."end" > char_length(context) THEN
        RAISE EXCEPTION 'quotation span %-% does not fit its source text', NEW.start, NEW."end"
          USING ERRCODE = 'check_violation';
      END IF;
      IF substr(context, NEW.start + 1, NEW."end" - NEW.start) IS DISTINCT FROM NEW.text THEN
        RAISE EXCEPTION 'quotation span %-% does not slice its text out of its source', NEW.start, NEW."end"
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER archive_quotation_span BEFORE INSERT OR UPDATE ON archive_quotation
    FOR EACH ROW EXECUTE FUNCTION archive_quotation_check_span()
    """,
    """
    CREATE FUNCTION archive_source_text_immutable() RETURNS trigger AS $$
    BEGIN
      IF NEW.original_text IS DISTINCT FROM OLD.original_text THEN
        RAISE EXCEPTION 'a source''s original text is never edited' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER archive_source_text_immutable BEFORE UPDATE ON archive_source
    FOR EACH ROW EXECUTE FUNCTION archive_source_text_immutable()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS archive_quotation_span ON archive_quotation",
    "DROP FUNCTION IF EXISTS archive_quotation_check_span()",
    "DROP TRIGGER IF EXISTS archive_source_text_immutable ON archive_source",
    "DROP FUNCTION IF EXISTS archive_source_text_immutable()",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
}


def _run(schema_editor, which):
    statements = STATEMENTS.get(schema_editor.connection.vendor, ([], []))[which]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, 1)
