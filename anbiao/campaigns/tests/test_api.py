import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from rest_framework.test import APIClient

from anbiao.campaigns import ledger_services, services
from anbiao.campaigns.models import (
    Attendance,
    EnforcementAction,
    EnterpriseLetter,
    Filing,
    NormDocument,
    ShowcaseEntry,
    TrainingSession,
    WorkTask,
)
from anbiao.campaigns.tests.conftest import docx_upload, scan
from anbiao.campaigns.xlsx_io import HEADERS, SHEET
from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope

D = datetime.date


@pytest.fixture
def api(world):
    def _client(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return _client


def test_campaigns_list_with_phases_and_deliverables(world, campaign, api):
    data = api(world.admin_a).get(reverse("api:campaign-list")).json()
    row = next(c for c in data["results"] if c["year"] == 2025)
    assert next(p["name"] for p in row["phases"]) == "动员部署" and len(row["requirements"]) == 8
    assert api(world.principal_a).get(reverse("api:campaign-list")).status_code == 403


def test_the_board_and_report_cells_through_the_api(world, campaign, api):
    req = campaign.requirements.get(order=1)
    services.filing_submit(
        actor=world.admin_a,
        scope=Scope.for_user(world.admin_a),
        requirement=req,
        unit=world.unit_a,
        filed_on=D(2025, 2, 11),
        scan=scan(),
        editable=docx_upload(),
    )
    board = (
        api(world.county_admin)
        .get(reverse("api:campaign-board"), {"campaign": campaign.pk, "as_of": "2025-02-11"})
        .json()
    )
    first = {u["unit_name"]: u["deliverables"][0]["timeliness"] for u in board["units"]}
    assert first == {"甲供销社": "late", "甲供销社服务中心": "missing", "乙供销社": "missing"}
    bad = api(world.county_admin).get(reverse("api:campaign-board"), {"as_of": "明天"})
    assert bad.status_code == 400 and "as_of" in bad.json()
    cells = api(world.admin_a).get(reverse("api:campaign-cells"), {"as_of": "2025-12-31"}).json()
    assert cells["unit"] == world.unit_a.pk and cells["cells"]["t3.fine.amount"]["value"] == "0.0000"


def test_filings_are_filed_and_reviewed_through_the_api(world, campaign, api):
    req = campaign.requirements.get(order=1)
    client = api(world.admin_a)
    response = client.post(
        reverse("api:campaign-filing-list"),
        {
            "requirement": req.pk,
            "unit": world.unit_a.pk,
            "filed_on": "2025-02-10",
            "scan_file": scan(),
            "editable_file": docx_upload(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    refused = client.post(
        reverse("api:campaign-filing-list"),
        {"requirement": req.pk, "unit": world.unit_b.pk, "filed_on": "2025-02-10"},
        format="multipart",
    )
    assert refused.status_code == 400 and Filing.objects.count() == 1
    assert client.post(reverse("api:campaign-filing-accept", args=[pk])).status_code == 403
    county = api(world.county_admin)
    assert county.get(reverse("api:campaign-filing-accept", args=[pk])).json()["status"] == "submitted"
    no_reason = county.post(reverse("api:campaign-filing-return", args=[pk]), {}, format="json")
    assert no_reason.status_code == 400
    assert (
        county.post(
            reverse("api:campaign-filing-return", args=[pk]), {"reason": "未盖章"}, format="json"
        ).json()["status"]
        == "returned"
    )
    assert county.post(reverse("api:campaign-filing-accept", args=[pk])).status_code == 400
    assert client.get(reverse("api:campaign-filing-detail", args=[pk])).json()["return_reason"] == "未盖章"
    assert county.get(reverse("api:campaign-filing-return", args=[pk])).status_code == 200


def test_letters_are_generated_delivered_signed_and_posted_through_the_api(world, campaign, api):
    client = api(world.admin_a)
    made = client.post(
        reverse("api:campaign-letter-generate"),
        {"campaign": campaign.pk, "enterprises": [world.ent_a.pk, world.ent_a1.pk], "deadline": "2025-03-31"},
        format="json",
    )
    assert made.status_code == 201 and len(made.json()) == 2
    sibling = client.post(
        reverse("api:campaign-letter-generate"),
        {"campaign": campaign.pk, "enterprises": [world.ent_b.pk], "deadline": "2025-03-31"},
        format="json",
    )
    assert sibling.status_code == 400 and EnterpriseLetter.objects.count() == 2
    ids = [row["id"] for row in made.json()]
    assert client.post(
        reverse("api:campaign-letter-deliver"),
        {"letters": ids, "delivered_on": "2025-02-01", "delivery_method": "in_person"},
        format="json",
    ).json() == {"delivered": 2}
    signed = client.post(
        reverse("api:campaign-letter-sign", args=[ids[0]]),
        {"signed_on": "2025-02-02", "signer": "张三", "scan": scan()},
        format="multipart",
    )
    assert signed.status_code == 200 and signed.json()["signed_on"] == "2025-02-02"
    assert client.get(reverse("api:campaign-letter-sign", args=[ids[0]])).status_code == 200
    posted = client.post(
        reverse("api:campaign-letter-post", args=[ids[0]]), {"posted_on": "2025-02-03"}, format="json"
    )
    assert posted.json()["posted_on"] == "2025-02-03"
    assert client.get(reverse("api:campaign-letter-post", args=[ids[0]])).status_code == 200
    progress = client.get(
        reverse("api:campaign-letter-progress"), {"campaign": campaign.pk, "as_of": "2025-12-31"}
    ).json()
    assert (progress["delivered"], progress["signed"]) == (2, 1)
    assert [e["name"] for e in progress["not_signed"]] == ["甲二仓储"]
    docx = client.get(reverse("api:campaign-letter-docx", args=[ids[0]]))
    texts = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert texts.count("甲一超市：") == 3
    listed = client.get(reverse("api:campaign-letter-list")).json()["results"]
    assert {r["enterprise_name"] for r in listed} == {"甲一超市", "甲二仓储"}
    assert client.get(reverse("api:campaign-letter-detail", args=[ids[0]])).status_code == 200


def test_sessions_and_attendance_through_the_api_including_the_import(world, api):
    client = api(world.admin_a)
    created = client.post(
        reverse("api:campaign-session-list"),
        {
            "unit": world.unit_a.pk,
            "kind": "training",
            "level": "county",
            "organizer": "县社",
            "held_on": "2025-03-01",
            "topic": "培训",
            "targets": ["principal"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad_targets = client.post(
        reverse("api:campaign-session-list"),
        {
            "unit": world.unit_a.pk,
            "kind": "training",
            "level": "county",
            "organizer": "县社",
            "held_on": "2025-03-01",
            "topic": "培训",
            "targets": ["martian"],
        },
        format="json",
    )
    assert bad_targets.status_code == 400 and TrainingSession.objects.count() == 1
    one = client.post(
        reverse("api:campaign-attendance-list"),
        {"session": pk, "enterprise": world.ent_a.pk, "person_name": "张三", "category": "principal"},
        format="json",
    )
    assert one.status_code == 201
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    ws.append(["李四", "", "", "安监人员"])
    ws.append(["王五", "无此企业", "", "企业主要负责人"])
    buf = io.BytesIO()
    wb.save(buf)
    result = client.post(
        reverse("api:campaign-session-import", args=[pk]),
        {"file": SimpleUploadedFile("a.xlsx", buf.getvalue())},
        format="multipart",
    )
    assert result.status_code == 400 and result.json()["errors"][0].startswith("第3行")
    assert Attendance.objects.count() == 1
    assert client.get(reverse("api:campaign-session-import", args=[pk])).json()["persons"] == 1
    assert client.get(reverse("api:campaign-session-detail", args=[pk])).status_code == 200
    assert (
        client.patch(
            reverse("api:campaign-session-detail", args=[pk]), {"topic": "新主题"}, format="json"
        ).json()["topic"]
        == "新主题"
    )
    assert len(client.get(reverse("api:campaign-attendance-list"), {"session": pk}).json()["results"]) == 1
    att = Attendance.objects.get()
    assert (
        client.get(reverse("api:campaign-attendance-detail", args=[att.pk])).json()["person_name"] == "张三"
    )


def test_enforcement_showcase_norms_and_tasks_through_the_api(world, api, django_assert_max_num_queries):
    client = api(world.admin_a)
    fine = client.post(
        reverse("api:campaign-enforcement-list"),
        {
            "enterprise": world.ent_a.pk,
            "kind": "fine",
            "authority": "县应急局",
            "action_on": "2025-05-01",
            "amount": "12345.60",
        },
        format="json",
    )
    assert fine.status_code == 201 and fine.json()["amount_wan"] == "1.2346"
    no_amount = client.post(
        reverse("api:campaign-enforcement-list"),
        {"enterprise": world.ent_a.pk, "kind": "fine", "authority": "县应急局", "action_on": "2025-05-01"},
        format="json",
    )
    assert no_amount.status_code == 400 and "amount" in no_amount.json()
    sibling = client.post(
        reverse("api:campaign-enforcement-list"),
        {"enterprise": world.ent_b.pk, "kind": "interview", "authority": "县社", "action_on": "2025-05-01"},
        format="json",
    )
    assert sibling.status_code == 400 and EnforcementAction.objects.count() == 1
    fpk = fine.json()["id"]
    assert (
        client.patch(
            reverse("api:campaign-enforcement-detail", args=[fpk]), {"amount": "20000"}, format="json"
        ).json()["amount_wan"]
        == "2.0000"
    )
    with django_assert_max_num_queries(10):
        assert client.get(reverse("api:campaign-enforcement-list")).status_code == 200
    show = client.post(
        reverse("api:campaign-showcase-list"),
        {
            "unit": world.unit_a.pk,
            "category": "post",
            "level": "county",
            "recognised_on": "2025-06-01",
            "title": "青年突击手",
            "post_type": "youth",
        },
        format="json",
    )
    assert show.status_code == 201, show.content
    assert (
        client.patch(
            reverse("api:campaign-showcase-detail", args=[show.json()["id"]]),
            {"level": "city"},
            format="json",
        ).json()["level"]
        == "city"
    )
    assert client.get(reverse("api:campaign-showcase-list")).json()["count"] == ShowcaseEntry.objects.count()
    norm = client.post(
        reverse("api:campaign-norm-list"),
        {
            "unit": world.unit_a.pk,
            "kind": "checklist",
            "title": "清单",
            "version": "V1",
            "issued_on": "2025-03-01",
            "upload": docx_upload(),
        },
        format="multipart",
    )
    assert norm.status_code == 201 and norm.json()["file"]
    assert client.get(reverse("api:campaign-norm-detail", args=[norm.json()["id"]])).status_code == 200
    assert NormDocument.objects.count() == 1
    task = client.post(
        reverse("api:campaign-task-list"),
        {"unit": world.unit_a.pk, "year": 2025, "title": "方案", "owner": "张三", "due": "2025-02-10"},
        format="json",
    )
    assert task.status_code == 201 and task.json()["overdue"] is True
    done = client.patch(
        reverse("api:campaign-task-detail", args=[task.json()["id"]]),
        {"status": "done", "done_on": "2025-02-09"},
        format="json",
    )
    assert done.json()["overdue"] is False and WorkTask.objects.get().status == "done"
    assert client.get(reverse("api:campaign-task-list")).json()["count"] == 1
    assert AuditEvent.objects.filter(action="campaigns.task_update").exists()
    leader = api(world.leader)
    assert (
        leader.post(reverse("api:campaign-task-list"), {"unit": world.unit_a.pk}, format="json").status_code
        == 403
    )
    assert leader.get(reverse("api:campaign-showcase-list")).status_code == 200


def test_api_lists_never_show_the_sibling_units_rows(world, campaign, api):
    from anbiao.campaigns.testing import PAIRS

    client = api(world.admin_a)
    names = {
        "api:campaign-filing-list": Filing,
        "api:campaign-task-list": WorkTask,
        "api:campaign-letter-list": EnterpriseLetter,
        "api:campaign-session-list": TrainingSession,
        "api:campaign-attendance-list": Attendance,
        "api:campaign-enforcement-list": EnforcementAction,
        "api:campaign-showcase-list": ShowcaseEntry,
        "api:campaign-norm-list": NormDocument,
    }
    for name, model in names.items():
        inside, outside = PAIRS[model](world)
        ids = {row["id"] for row in client.get(reverse(name)).json()["results"]}
        assert inside.pk in ids and outside.pk not in ids, name


def test_the_openapi_schema_documents_the_campaign_endpoints_without_warnings(world):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.routers import DefaultRouter

    from anbiao.campaigns import api as campaigns_api

    router = DefaultRouter()
    campaigns_api.register(router)
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(
        request=None, public=True
    )
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, dict(
        GENERATOR_STATS._warn_cache
    )
    for p in (
        "/api/v1/campaign-letters/{id}/sign/",
        "/api/v1/campaigns/board/",
        "/api/v1/campaign-sessions/{id}/import/",
    ):
        assert p in schema["paths"]


def test_a_session_created_by_service_is_visible_in_api_filters(world):
    session = ledger_services.session_create(
        actor=world.admin_a,
        scope=Scope.for_user(world.admin_a),
        unit=world.unit_a,
        data={
            "kind": "site_visit",
            "level": "township",
            "organizer": "甲",
            "held_on": D(2025, 4, 1),
            "topic": "观摩",
        },
    )
    client = APIClient()
    client.force_authenticate(world.admin_a)
    rows = client.get(reverse("api:campaign-session-list"), {"kind": "site_visit"}).json()["results"]
    assert [r["id"] for r in rows] == [session.pk]
