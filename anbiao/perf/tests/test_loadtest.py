"""anbiao_loadtest, bounded (issue 11 part 6): a few simulated people for a few seconds against gunicorn
on a copy of the test database. It checks what must hold on any machine — no server error, no failed
request, no "database is locked", hazards registered with their photo — and no time (``--ignore-times``);
the long form's figures are in docs/performance.md."""

from __future__ import annotations

import os
import subprocess

import pytest

from anbiao.core.tests.serverdb import PYTHON, ROOT, database_url


@pytest.mark.django_db(transaction=True)
def test_a_short_working_day_mix_has_no_errors_and_registers_hazards_with_photos(world, tmp_path):
    url = database_url(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "media")}
    args = ["--users", "4", "--seconds", "12", "--workers", "2", "--quarter", "2025Q3", "--ignore-times"]
    done = subprocess.run(
        [PYTHON, "manage.py", "anbiao_loadtest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "服务器错误（5xx）：0；database is locked：0" in out
    kinds = ("页面 企业名录", "页面 本企业隐患清单", "上传 登记隐患", "导出 隐患清单 xlsx", "报表 季报表计算")
    for kind in kinds:
        assert kind in out, out
    assert "Aggregated" in out
    assert any((tmp_path / "media").rglob("*")), "no file was written: no hazard photo reached the server"
