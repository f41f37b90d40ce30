"""Helpers shared by the ledger views."""

from django.core.exceptions import ValidationError

from anbiao.core import xlsx
from anbiao.ledgers.kinds import Badge


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def rows_for(objects, columns):
    """``[(obj, [cell, …])]`` for a table; a cell is text, a number or a ``Badge``."""
    return [(o, [fn(o) for _, fn in columns]) for o in objects]


def export_workbook(title: str, columns, objects):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title[:31]
    rows = []
    for o in objects:
        rows.append([str(v) if isinstance(v, Badge) else v for v in (fn(o) for _, fn in columns)])
    xlsx.write_table(ws, [h for h, _ in columns], rows)
    return wb
