import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from anbiao.reports.cells import CELLS
from anbiao.reports.docs import render


def test_the_committed_docs_reports_md_equals_the_generated_text():
    committed = (Path(settings.BASE_DIR) / "docs" / "reports.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/reports.md is stale: run manage.py anbiao_report_docs"


def test_the_generated_docs_name_every_cell_with_its_definition_and_window():
    text = render()
    for key, cell in CELLS.items():
        assert f"`{key}`" in text
        assert cell.definition.replace("|", "\\|") in text
        assert cell.window_text in text


def test_the_command_writes_the_file_or_prints_it(tmp_path):
    out = io.StringIO()
    call_command("anbiao_report_docs", "--print", stdout=out)
    assert out.getvalue() == render()
    target = tmp_path / "reports.md"
    call_command("anbiao_report_docs", "--output", str(target), stdout=io.StringIO())
    assert target.read_text(encoding="utf-8") == render()


def test_every_cell_has_a_key_a_column_path_a_definition_and_a_window():
    windows = {c.key: c.window for c in CELLS.values()}
    assert str(windows["t1.lists.self_found"]) == "2025-01-01"
    assert str(windows["t1.self.national"]) == "2025-01-01"
    assert str(windows["t1.grade.national.1"]) == "2021-08-01"
    assert str(windows["t1.duty.lists"]) == "2021-08-01"
    assert str(windows["t1.stars.5"]) == "2024-04-01"
    assert windows["t1.base.total"] is None
    for cell in CELLS.values():
        assert cell.path and cell.definition
        if cell.table in (2, 3):
            assert str(cell.window) == "2025-01-01"
