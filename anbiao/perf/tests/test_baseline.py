"""The hot paths send no more queries than the baseline committed with them (security.md H2): a list page,
an API list, the quarterly report, the roll-up or the import that starts sending more queries is a
regression, caught here. Times are not judged here; ``manage.py anbiao_bench`` measures them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anbiao.core.scope import system_scope
from anbiao.perf import bench
from anbiao.perf.bench_load import targets
from anbiao.reports.context import Quarter

BASELINE = Path(bench.__file__).parent / "baseline.json"
QUARTER = Quarter(2025, 3)

pytestmark = pytest.mark.django_db


def measured(world) -> dict[str, int]:
    pages = bench.page_queries(world.county_admin, targets())
    assert [status for *_, status, _n in pages] == [200] * len(pages)
    out = {name: n for name, _url, _status, n in pages}
    top = bench.top_unit()
    scope = system_scope(top.path)
    out["单位季报表"] = bench.check_report(scope, bench.busiest_unit(top), QUARTER)[0]
    out["汇总表"] = bench.check_rollup(scope, top, QUARTER)[0]
    raw = bench.import_workbook(scope, top, 25)
    with bench.counting() as c:
        bench.import_once(scope, raw)
    out["企业名录导入（25 行）"] = c.n
    return out


def test_no_hot_path_sends_more_queries_than_its_committed_baseline(world):
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))["queries"]
    now = measured(world)
    assert sorted(now) == sorted(baseline), "the measured paths and baseline.json name different paths"
    grown = {name: f"{baseline[name]} → {n}" for name, n in now.items() if n > baseline[name]}
    assert not grown, f"more queries than the baseline (anbiao/perf/baseline.json): {grown}"
