"""anbiao_loadtest, bounded (issue 11 part 6): a few simulated people for a few seconds against gunicorn
on a copy of the test database. It checks what must hold on any machine — no server error, no failed
request, no "database is locked", hazards registered with their photo — and no time (``--ignore-times``);
the long form's figures are in docs/performance.md."""

from __future__ import annotations

import os
import subprocess

import pytest

from anbiao.core.tests.serverdb import PYTHON, ROOT, database_url
from anbiao.perf.load_mix import Sample, sample, soak_of


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


def _sample(at, rss, fds, temp, db=None):
    return Sample(at=at, rss_kib=rss, fds=fds, temp_bytes=temp, db_connections=db)


def test_a_soak_is_judged_from_the_first_sample_after_warm_up_to_the_last():
    samples = [
        _sample(0, 100_000, 40, 0, 5),
        _sample(300, 150_000, 60, 0, 5),
        _sample(1800, 160_000, 60, 0, 5),
    ]
    soak = soak_of(samples, 1800)
    assert (soak.first.at, soak.last.at) == (300, 1800)  # start-up growth is not a leak
    assert soak.problems == []
    grown = soak_of([*samples[:2], _sample(1800, 170_000, 61, 4096, 7)], 1800)
    assert len(grown.problems) == 4
    assert "内存增长 13.3%" in grown.problems[0]


def test_a_sample_reads_memory_open_files_and_the_temporary_directory_of_a_process(tmp_path):
    (tmp_path / "upload.tmp").write_bytes(b"x" * 1000)
    s = sample(os.getpid(), tmp_path)
    assert s.rss_kib > 10_000 and s.fds > 3 and s.temp_bytes == 1000
