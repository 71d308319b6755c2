"""Fast bulk writes of many rows: one statement (or one COPY) per chunk, little Python per row.

Django's `bulk_create` and `bulk_update` compile every value through the ORM, and `bulk_update`
builds a `CASE WHEN pk = … THEN …` per row and field: at 100,000 rows that Python dominates. On
PostgreSQL these helpers send `COPY` (inserts, with ids taken from the table's sequence first so
the caller gets them back) and `UPDATE … FROM unnest(arrays)` (updates); elsewhere (SQLite) they
fall back to `bulk_create` and to an `UPDATE … FROM (VALUES …)` statement, which SQLite 3.33+ runs.
Values are the Python values a model field holds; defaults (and auto_now times) fill the rest.
"""

import enum
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

_CHUNK = 5000


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def insert_rows(model: type[models.Model], rows: Sequence[dict]) -> list[int]:
    """Insert rows given as {field attname: value}; return their new primary keys, in order.

    Fields not given take their model default (auto_now / auto_now_add take the current time).
    """
    if not rows:
        return []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        elif field.has_default():
            defaults[field.attname] = field.get_default()
        else:
            defaults[field.attname] = None
    if not _is_postgresql():
        objs = [model(**{**defaults, **row}) for row in rows]
        model.objects.bulk_create(objs, batch_size=1000)
        return [obj.pk for obj in objs]

    from psycopg.types.json import Jsonb

    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(meta.db_table)
    pk_column = meta.pk.column
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk_column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                values = [pk]
                for name in names:
                    value = row[name] if name in row else defaults[name]
                    if isinstance(value, enum.Enum):
                        value = value.value  # psycopg would write a Python enum's name
                    elif name in json_fields and value is not None:
                        value = Jsonb(value)
                    values.append(value)
                copy.write_row(values)
    return ids


def update_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
) -> int:
    """Set `fields` on the rows given as (pk, value, …) tuples; returns the number of rows sent.

    For plain columns (numbers, text, dates): values are stored as given.
    """
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    pk_column = connection.ops.quote_name(meta.pk.column)
    columns = [connection.ops.quote_name(f.column) for f in concrete]
    names = ["id", *(f"v{index}" for index in range(len(concrete)))]
    casts = [f.db_type(connection) for f in concrete]
    assignments = ", ".join(
        f"{column} = CAST(v.{name} AS {cast})"
        for column, name, cast in zip(columns, names[1:], casts, strict=True)
    )
    rows = [list(row) for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            if _is_postgresql():
                arrays = ", ".join(
                    f"%s::{cast}[]" for cast in [meta.pk.db_type(connection), *casts]
                )
                cursor.execute(
                    f"UPDATE {table} SET {assignments} "  # noqa: S608 - names are ours
                    f"FROM unnest({arrays}) AS v({', '.join(names)}) "
                    f"WHERE {table}.{pk_column} = v.id",
                    [list(column) for column in zip(*chunk, strict=True)],
                )
            else:
                row_sql = "(" + ", ".join(["%s"] * len(names)) + ")"
                cursor.execute(
                    f"WITH v({', '.join(names)}) AS (VALUES {', '.join([row_sql] * len(chunk))}) "  # noqa: S608
                    f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk_column} = v.id",
                    [value for row in chunk for value in row],
                )
    return len(rows)
