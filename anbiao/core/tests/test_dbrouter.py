"""The read replica router (DATABASE_REPLICA_URL): report pages read from the replica, nothing else does."""

import json
import subprocess

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.test import RequestFactory

from anbiao.accounts.models import User
from anbiao.core import dbrouter
from anbiao.core.models import AuditEvent
from anbiao.core.tests.serverdb import PYTHON, ROOT
from anbiao.orgs.models import Organization
from anbiao.reports.models import Submission


@pytest.fixture
def replica(monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)


def test_reads_go_to_the_replica_only_inside_replica_reads(replica):
    router = dbrouter.ReplicaRouter()
    assert router.db_for_read(Submission) == "default"
    with dbrouter.replica_reads():
        assert router.db_for_read(Submission) == "replica"
        assert router.db_for_read(Organization) == "replica"
        # sessions, users, lockouts, tokens and the audit trail: always the primary
        for model in (User, AuditEvent):
            assert router.db_for_read(model) == "default"
        assert router.db_for_write(Submission) == "default"
    assert router.db_for_read(Submission) == "default"
    assert router.allow_migrate("default", "reports") and not router.allow_migrate("replica", "reports")
    assert router.allow_relation(Submission(), Organization())


def test_without_a_replica_everything_stays_on_default():
    router = dbrouter.ReplicaRouter()
    with dbrouter.replica_reads():
        assert router.db_for_read(Submission) == "default"
    with pytest.raises(MiddlewareNotUsed):
        dbrouter.ReplicaReadMiddleware(lambda r: None)


class _Session(dict):
    pass


def _through_middleware(request):
    seen = {}

    def view(req):
        seen["replica"] = dbrouter.reading_from_replica()
        return "response"

    dbrouter.ReplicaReadMiddleware(view)(request)
    return seen["replica"]


def test_the_middleware_uses_the_replica_for_safe_report_requests_unless_the_session_just_wrote(replica):
    rf = RequestFactory()
    user = User(username="u", pk=1)
    session = _Session()

    def req(method, path):
        r = getattr(rf, method)(path)
        r.session, r.user = session, user
        return r

    assert _through_middleware(req("get", "/reports/units/1/")) is True
    assert _through_middleware(req("get", "/api/v1/report-units/")) is True
    assert _through_middleware(req("get", "/enterprises/")) is False
    assert _through_middleware(req("post", "/reports/units/1/submit/")) is False
    assert session[dbrouter.PIN_KEY] > 0  # just wrote: pinned to the primary for a while
    assert _through_middleware(req("get", "/reports/versions/1/")) is False
    session[dbrouter.PIN_KEY] = 0
    assert _through_middleware(req("get", "/reports/versions/1/")) is True


SCRIPT = r"""
import json, django
django.setup()
from django.conf import settings
from django.db import connections
from anbiao.core import dbrouter
from anbiao.orgs.models import Organization
from anbiao.accounts.models import User

for alias, name in (("default", "主库的单位"), ("replica", "副本的单位")):
    with connections[alias].schema_editor() as editor:
        editor.create_model(Organization)
    Organization.objects.using(alias).create(kind="county", name=name, code="T", path="000001.")
with connections["default"].schema_editor() as editor:  # the replica has no user table at all
    editor.create_model(User)
out = {"routers": settings.DATABASE_ROUTERS, "mirror": settings.DATABASES["replica"]["TEST"]}
out["outside"] = Organization.objects.get().name
with dbrouter.replica_reads():
    out["inside"] = Organization.objects.get().name
    out["users"] = User.objects.count()  # would fail on the replica
    Organization.objects.create(kind="county", name="新单位", code="N", path="000002.")
out["written_to"] = sorted(Organization.objects.using("default").values_list("name", flat=True))
print(json.dumps(out, ensure_ascii=False))
"""


def test_with_two_real_databases_reads_and_writes_go_where_they_should(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'replica.sqlite3'}",
        "ANBIAO_VAR_DIR": str(tmp_path / "var"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [PYTHON, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["routers"] == ["anbiao.core.dbrouter.ReplicaRouter"]
    assert out["mirror"]["MIRROR"] == "default"
    assert (out["outside"], out["inside"]) == ("主库的单位", "副本的单位")
    assert out["users"] == 0
    assert out["written_to"] == ["主库的单位", "新单位"]
