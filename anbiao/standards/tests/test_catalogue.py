"""Catalogue import and export (xlsx and JSON): round trip; malformed catalogues refused, nothing written."""

import copy
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anbiao.core.models import AuditEvent
from anbiao.standards import catalogue_io, seed_data
from anbiao.standards.models import Standard, StandardItem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tree(standard):
    return [
        (
            i.level,
            i.code,
            i.parent.code if i.parent else "",
            i.title,
            i.score,
            i.scoring_rule,
            i.is_veto,
            i.unverified,
        )
        for i in standard.items.select_related("parent").order_by("sort_order")
    ]


def _upload(client, name, content, ctype):
    return client.post(
        reverse("standards:catalogue_import"), {"file": SimpleUploadedFile(name, content, ctype)}
    )


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_an_exported_catalogue_imports_again_as_the_same_tree(world, login, fmt):
    client = login(world.county_admin)
    gbt = Standard.objects.get(code="GB/T 33000-2016")
    response = client.get(reverse("standards:catalogue_export"), {"id": gbt.pk, "format": fmt})
    assert response.status_code == 200
    if fmt == "json":
        data = json.loads(response.content)
        assert data["format"] == "anbiao.standard/1" and len(data["items"]) == gbt.items.count()
        data["standard"]["code"] = "GB/T 33000-2016-副本"
        upload = ("copy.json", json.dumps(data, ensure_ascii=False).encode(), "application/json")
    else:
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        assert [c.value for c in wb["条款"][1]] == catalogue_io.ITEM_HEADERS
        meta = wb["标准信息"]
        assert meta["A2"].value == "标准编号" and meta["B2"].value == "GB/T 33000-2016"
        meta["B2"].value = "GB/T 33000-2016-副本"
        buf = io.BytesIO()
        wb.save(buf)
        upload = ("copy.xlsx", buf.getvalue(), XLSX)
    response = _upload(client, *upload)
    assert response.status_code == 302, response.content.decode()[:2000]
    copy_ = Standard.objects.get(code="GB/T 33000-2016-副本")
    assert _tree(copy_) == _tree(gbt)
    for f in (
        "title",
        "version",
        "grade_type",
        "applies_to",
        "level1_min",
        "level2_min",
        "level3_min",
        "is_graded",
        "source",
    ):
        assert getattr(copy_, f) == getattr(gbt, f), f
    assert AuditEvent.objects.filter(action="standards.catalogue_import", object_id=str(copy_.pk)).exists()


def _gbt_dict():
    return copy.deepcopy(seed_data.CATALOGUES[0]) | {
        "standard": dict(seed_data.CATALOGUES[0]["standard"], code="NEW-1")
    }


def _broken(mutate):
    data = _gbt_dict()
    data["items"] = copy.deepcopy(data["items"])
    mutate(data)
    return data


MALFORMED = [
    ("重复", lambda d: d["items"].append(dict(d["items"][2]))),
    (
        "找不到上级条款",
        lambda d: d["items"].insert(3, {"level": 3, "code": "9.9.9.9", "title": "x", "score": "1"}),
    ),
    ("须填写标准分值", lambda d: d["items"][2].update(score="")),
    ("大于0", lambda d: d["items"][2].update(score="-1")),
    ("应为数字", lambda d: d["items"][2].update(score="十")),
    ("只有考评内容可以是否决项", lambda d: d["items"][0].update(is_veto=True)),
    ("不是可选值", lambda d: d["items"][0].update(level="四级")),
    ("格式不正确", lambda d: d["items"][2].update(code="5-1")),
    ("下没有下级条款", lambda d: d["items"].append({"level": 1, "code": "5.9", "title": "空要素"})),
    ("标准名称", lambda d: d["standard"].update(title="")),
    ("一级 ≥ 二级 ≥ 三级", lambda d: d["standard"].update(level1_min="50")),
    ("企业规模", lambda d: d["standard"].update(applies_to=["大型"])),
    ("「是」或「否」", lambda d: d["items"][2].update(unverified="也许")),
]


@pytest.mark.parametrize(("message", "mutate"), MALFORMED, ids=[m for m, _ in MALFORMED])
def test_a_malformed_json_catalogue_is_refused_with_a_located_message_and_nothing_is_written(
    world, login, message, mutate
):
    client = login(world.county_admin)
    counts = (Standard.objects.count(), StandardItem.objects.count(), AuditEvent.objects.count())
    body = json.dumps(_broken(mutate), ensure_ascii=False).encode()
    response = _upload(client, "bad.json", body, "application/json")
    assert response.status_code == 400
    errors = response.context["errors"]
    assert any(message in e for e in errors), errors
    assert any(("第" in e and "条" in e) or "标准信息" in e for e in errors)
    assert (Standard.objects.count(), StandardItem.objects.count(), AuditEvent.objects.count()) == counts


def _xlsx(mutate_items=None, mutate_meta=None, sheet_title=None):
    gbt = Standard.objects.get(code="GB/T 33000-2016")
    wb = catalogue_io.to_xlsx(gbt)
    wb["标准信息"]["B2"].value = "NEW-X"
    if mutate_items:
        mutate_items(wb["条款"])
    if mutate_meta:
        mutate_meta(wb["标准信息"])
    if sheet_title:
        wb["条款"].title = sheet_title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX_CASES = [
    ("条款第4行「标准分值」", lambda: _xlsx(lambda ws: setattr(ws["D4"], "value", "abc"))),
    ("含有公式", lambda: _xlsx(lambda ws: setattr(ws["D4"], "value", "=1+1"))),
    ("找不到工作表「条款」", lambda: _xlsx(sheet_title="Sheet9")),
    ("表头缺少列", lambda: _xlsx(lambda ws: setattr(ws["E1"], "value", "规则"))),
    ("「分级」", lambda: _xlsx(mutate_meta=lambda ws: setattr(ws["B7"], "value", "大概"))),
    ("不是 Excel", lambda: b"not a workbook at all"),
    ("已存在", lambda: _xlsx(mutate_meta=lambda ws: setattr(ws["B2"], "value", "GB/T 33000-2016"))),
]


@pytest.mark.parametrize(("message", "build"), XLSX_CASES, ids=[m for m, _ in XLSX_CASES])
def test_a_malformed_xlsx_catalogue_is_refused_and_nothing_is_written(world, login, message, build):
    client = login(world.county_admin)
    counts = (Standard.objects.count(), StandardItem.objects.count())
    response = _upload(client, "bad.xlsx", build(), XLSX)
    assert response.status_code == 400
    assert any(message in e for e in response.context["errors"]), response.context["errors"]
    assert (Standard.objects.count(), StandardItem.objects.count()) == counts


def test_a_full_width_code_and_text_score_are_read(world, login):
    client = login(world.county_admin)
    data = _gbt_dict()
    data["items"][2]["score"] = "１０"
    response = _upload(client, "ok.json", json.dumps(data, ensure_ascii=False).encode(), "application/json")
    assert response.status_code == 302
    assert StandardItem.objects.get(standard__code="NEW-1", code=data["items"][2]["code"]).score == 10


def test_only_the_county_admin_may_import(world, login):
    response = _upload(login(world.admin_a), "x.json", b"{}", "application/json")
    assert response.status_code == 403


def test_the_api_lists_catalogues_and_imports_one(world, api):
    rows = api(world.principal_a).get(reverse("api:standard-list")).json()["results"]
    assert {r["code"] for r in rows} >= {"GB/T 33000-2016", "QZ-ZXW-DBXZ"}
    assert (
        api(world.admin_a).post(reverse("api:standard-list"), _gbt_dict(), format="json").status_code == 403
    )
    bad = _broken(lambda d: d["items"][2].update(score=""))
    response = api(world.county_admin).post(reverse("api:standard-list"), bad, format="json")
    assert response.status_code == 400 and "标准分值" in json.dumps(response.json(), ensure_ascii=False)
    assert not Standard.objects.filter(code="NEW-1").exists()
    response = api(world.county_admin).post(reverse("api:standard-list"), _gbt_dict(), format="json")
    assert response.status_code == 201 and len(response.json()["items"]) == len(_gbt_dict()["items"])


def test_the_county_admin_changes_the_thresholds_of_a_standard(world, login):
    gbt = Standard.objects.get(code="GB/T 33000-2016")
    client = login(world.county_admin)
    response = client.post(
        reverse("standards:standard_detail"),
        {"id": gbt.pk, "level1_min": "92", "level2_min": "80", "level3_min": "65", "is_active": "on"},
    )
    assert response.status_code == 302
    gbt.refresh_from_db()
    assert (gbt.level1_min, gbt.level2_min, gbt.level3_min) == (92, 80, 65)
    bad = client.post(
        reverse("standards:standard_detail"),
        {"id": gbt.pk, "level1_min": "50", "level2_min": "80", "level3_min": "65"},
    )
    assert bad.status_code == 400
    gbt.refresh_from_db()
    assert gbt.level1_min == 92
    assert login(world.admin_a).post(reverse("standards:standard_detail"), {"id": gbt.pk}).status_code == 403
