"""anbiao_bench runs end to end on a tiny data set and leaves the database as it found it; it stops with the
differing cells when the SQL floor and the report disagree. No test here asserts a time."""

from __future__ import annotations

import io

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from anbiao.core.models import AuditEvent
from anbiao.orgs.models import Enterprise, EnterpriseState
from anbiao.perf import bench, floor, views

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("anbiao_bench", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        Enterprise.objects.count(),
        EnterpriseState.objects.count(),
        AuditEvent.objects.count(),
        Session.objects.count(),
    )


def test_the_benchmark_runs_on_a_tiny_data_set_and_changes_nothing(world):
    before = counts()
    text = run("--skip-load", "--runs", "1", "--import-rows", "25", "--quarter", "2025Q3")
    assert counts() == before
    assert "单位季报表" in text and "汇总表" in text and "基准SQL" in text
    assert "企业名录导入（25 行" in text and "openpyxl" in text
    for name in ("企业名录", "隐患清单", "风险点清单", "API 企业", "API 隐患", "API 风险点"):
        assert name in text
    assert "HTTP" not in text  # every page answered 200 to the signed-in administrator
    assert "--skip-load" in text


def test_it_stops_and_names_the_cells_when_the_floor_and_the_report_disagree(world, monkeypatch):
    real = floor.unit_report

    def off_by_one(*args, **kwargs):
        values, queries = real(*args, **kwargs)
        return {**values, "t3.inspections": values["t3.inspections"] + 1}, queries

    monkeypatch.setattr(floor, "unit_report", off_by_one)
    with pytest.raises(CommandError, match=r"(?s)基准SQL与报表不一致.*t3\.inspections: 报表 0 ≠ 基准SQL 1"):
        run("--skip-load", "--skip-import", "--runs", "1", "--quarter", "2025Q3")


def test_the_import_file_has_the_templates_columns_and_imports_cleanly(world):
    from anbiao.core.testing import system_scope

    scope = system_scope(world.county)
    raw = bench.import_workbook(scope, world.county, 5)
    assert bench.openpyxl_read(raw) == 6  # the header and five rows
    assert bench.import_once(scope, raw) == 5
    assert not Enterprise.objects.filter(name__startswith="压测导入企业").exists()  # rolled back


def test_the_bare_view_answers_without_a_template_or_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = views.bare(RequestFactory().get("/bench/bare/"))
    assert response.status_code == 200 and response.content == b"ok"
