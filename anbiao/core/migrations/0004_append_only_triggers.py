"""The audit trail and the integrity seals are append-only in the database itself on PostgreSQL (security.md
C3): a row trigger refuses UPDATE and DELETE from any SQL, not only through the ORM. The one change let
through is Django emptying ``actor`` when a user is deleted (``on_delete=SET_NULL``); the sealed
``actor_name`` keeps who it was. TRUNCATE (test teardown, a restore's ``--clean``) does not fire row
triggers. SQLite has no session to tell the test flush from an attack, so there the ORM guard stays the only
one (a SQLite file's owner can rewrite it anyway)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION anbiao_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'core_auditevent' THEN
        IF (to_jsonb(OLD) ->> 'actor_id') IS NOT NULL AND (to_jsonb(NEW) ->> 'actor_id') IS NULL
           AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id' THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'anbiao: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""
TABLES = ("core_auditevent", "core_integrityseal")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION anbiao_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS anbiao_append_only()")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_integrityseal")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
