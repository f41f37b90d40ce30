"""A short form of the crash test (the long form is ``manage.py anbiao_crashtest --runs 50``; figures in
docs/performance.md): a gunicorn server on a file database, killed with SIGKILL at random moments while it
imports enterprises and stores photos; after every kill the database is intact, each import is all or
nothing and every file row has its file."""

import os

import pytest

from anbiao.core import crashtest

RUNS = int(os.environ.get("ANBIAO_CRASH_RUNS", "3"))


@pytest.mark.django_db  # the harness uses its own database; this only satisfies pytest-django
def test_killing_the_server_mid_import_and_mid_upload_loses_nothing_and_leaves_nothing_half_done():
    lines = []
    outcome = crashtest.run(RUNS, seed=7, log=lines.append)
    assert outcome.runs == RUNS and outcome.problems == [], "\n".join(lines)
    assert outcome.consistent == RUNS
