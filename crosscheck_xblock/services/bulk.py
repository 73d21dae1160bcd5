"""Inserting many rows at once from plain tuples (issue 15: 40,000 assignments at a start).

`Model.objects.bulk_create` builds a model instance per row and runs every field's preparation
for every value (a few µs each): at 10,000 works the start spent seconds there. `insert_rows`
writes the same rows with the same values: the fields it is given, in the model's columns, the
others with their defaults; values already of the database's type (int, str, bool) go as they
are, the others (datetimes, JSON) through the field's own preparation, so a row reads back as
bulk_create's would. Like bulk_create it sends no signals and runs inside the caller's
transaction.
"""
from collections.abc import Iterable, Sequence

from django.db import connections, models, router
from django.db.models.constants import OnConflict

_PLAIN = (int, str, bool)


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence],
                batch_size: int = 2000, ignore_conflicts: bool = False) -> int:
    """INSERT `rows` (tuples of the values of the fields `names`, attnames such as "task_id")
    into the model's table, `batch_size` rows per statement; the number of rows given.
    Every other concrete field but the auto pk gets its default (a field with none is a
    programming error). `ignore_conflicts` skips rows that break a unique key, as bulk_create's."""
    meta = model._meta
    connection = connections[router.db_for_write(model)]  # where bulk_create would write
    given = [meta.get_field(name) for name in names]
    rest = [field for field in meta.concrete_fields
            if field not in given and not isinstance(field, models.AutoField)]
    for field in rest:
        if not field.has_default() and not field.null:
            raise ValueError(f"{meta.label}.{field.name} has no default: insert_rows must be given it")
    fields = given + rest
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in rest)
    always = [isinstance(field, models.JSONField) for field in given]  # a str is JSON too: always dumped
    ops = connection.ops
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    suffix = ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    sql = (f"{ops.insert_statement(on_conflict=on_conflict)} {ops.quote_name(meta.db_table)} ({columns}) "
           f"VALUES ({placeholders}) {suffix}").rstrip()
    last: list = [object()] * len(given)  # the last value seen per column and its prepared form:
    prepared: list = [None] * len(given)  # a batch's datetimes are mostly one `now`

    def prepare(row: Sequence) -> tuple:
        out = []
        for i, value in enumerate(row):
            if value is None or (type(value) in _PLAIN and not always[i]):
                out.append(value)
            elif value is last[i]:
                out.append(prepared[i])
            else:
                last[i], prepared[i] = value, given[i].get_db_prep_save(value, connection)
                out.append(prepared[i])
        return (*out, *defaults)

    count = 0
    batch: list = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(prepare(row))
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_objects(model: type[models.Model], objs: Sequence[models.Model], batch_size: int = 2000) -> int:
    """`insert_rows` for unsaved instances of `model` (every concrete field but the auto pk, read
    from the instances as they are; no field may be auto_now): bulk_create's rows, without its
    per-value preparation. The instances get no pk."""
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]
    if any(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) for field in fields):
        raise ValueError(f"{model._meta.label} has auto_now fields: use bulk_create")
    names = [field.attname for field in fields]
    return insert_rows(model, names, [tuple(getattr(obj, name) for name in names) for obj in objs],
                       batch_size=batch_size)
