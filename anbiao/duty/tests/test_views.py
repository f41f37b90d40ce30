"""The pages end to end through the test client: forms call the services, bad input writes nothing,
exports read back, and list pages and API lists keep a ceiling on queries."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from anbiao.core.models import AuditEvent
from anbiao.duty.choices import ListStatus, PostLevel
from anbiao.duty.models import AnnualAssessment, AssessmentScore, DutyList, DutyTemplate, Post, StaffingRule
from anbiao.duty.testing import build_for

pytestmark = pytest.mark.django_db
D = datetime.date


def formset_data(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "60",
    }
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"{prefix}-{i}-{k}"] = v
    return data


def test_the_principal_sets_up_a_post_adopts_adapts_and_publishes_its_lists(world, login):
    client = login(world.principal_a)
    url = reverse("duty:post_create", args=[world.ent_a.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "", "level": PostLevel.PRINCIPAL, "established_on": "2025-01-01"})
    assert bad.status_code == 200 and "该字段是必填项" in bad.content.decode()
    assert not Post.objects.exists()
    response = client.post(
        url, {"name": "总经理", "level": PostLevel.PRINCIPAL, "established_on": "2025-01-01"}
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("duty:post_detail", args=[post.pk])
    assert AuditEvent.objects.filter(action="duty.post_create", actor=world.principal_a).exists()

    response = client.post(reverse("duty:list_adopt", args=[post.pk]), {"template": ""})
    dl = DutyList.objects.get(post=post)
    assert response["Location"] == reverse("duty:list_detail", args=[dl.pk])
    page = client.get(reverse("duty:list_edit", args=[dl.pk]))
    assert page.status_code == 200 and "建立健全并落实本单位全员安全生产责任制" in page.content.decode()
    data = {
        "note": "结合门店实际调整",
        **formset_data(
            "duty", [{"text": "落实全员安全生产责任制", "basis": "第21条"}, {"text": "", "basis": ""}]
        ),
        **formset_data(
            "assess",
            [
                {"content": "责任制落实", "indicator": "100%", "full_marks": "60", "scoring_rule": ""},
                {
                    "content": "隐患排查",
                    "indicator": "",
                    "full_marks": "40",
                    "scoring_rule": "",
                    "DELETE": "",
                },
            ],
        ),
    }
    assert client.post(reverse("duty:list_edit", args=[dl.pk]), data).status_code == 302
    assert [i.text for i in dl.duty_items.all()] == ["落实全员安全生产责任制"]
    assert dl.full_marks() == 100
    bad = {**data, **formset_data("duty", [{"text": "", "basis": ""}])}
    response = client.post(reverse("duty:list_edit", args=[dl.pk]), bad)
    assert "至少需要一条责任条目" in response.content.decode()
    assert dl.duty_items.count() == 1

    client.post(
        reverse("duty:list_publish", args=[dl.pk]),
        {"effective_from": "2025-03-01", "published_on": "2025-03-01", "published_place": "门店公示栏"},
    )
    dl.refresh_from_db()
    assert dl.status == ListStatus.EFFECTIVE
    hub = client.get(reverse("duty:enterprise", args=[world.ent_a.pk])).content.decode()
    assert "已齐全" in hub and "第1版" in hub


def test_bad_publish_input_is_reported_in_chinese_and_nothing_changes(world, login):
    sets = build_for(world.ent_a)
    client = login(world.principal_a)
    dl = sets["employee_post"].lists.get()
    draft = client.post(reverse("duty:list_adopt", args=[sets["employee_post"].pk]), {})
    new = DutyList.objects.get(post=sets["employee_post"], status=ListStatus.DRAFT)
    response = client.post(
        reverse("duty:list_publish", args=[new.pk]),
        {"effective_from": "2025-01-01", "published_on": "2025-01-01", "published_place": "x"},
        follow=True,
    )
    assert draft.status_code == 302
    assert "生效日期须晚于上一版本的生效日期" in response.content.decode()
    new.refresh_from_db()
    dl.refresh_from_db()
    assert new.status == ListStatus.DRAFT and dl.status == ListStatus.EFFECTIVE


def test_scoring_a_person_recording_a_reward_and_printing_the_sheet(world, login):
    sets = build_for(world.ent_a)
    client = login(world.principal_a)
    a = AnnualAssessment.objects.create(enterprise=world.ent_a, year=2026, started_on=D(2026, 11, 1))
    holding = sets["holding"]
    url = reverse("duty:score", args=[a.pk]) + f"?holding={holding.pk}"
    page = client.get(url).content.decode()
    assert "生产安全事故及时、如实报告" in page
    item = sets["list"].assess_items.get(number=2)
    response = client.post(
        url,
        {
            "holding": holding.pk,
            "scored_on": "2026-11-10",
            "assessor": "考核组",
            f"points_{item.pk}": "4",
            f"reason_{item.pk}": "制度未评审",
        },
    )
    score = AssessmentScore.objects.get(assessment=a)
    assert response["Location"] == reverse("duty:score_detail", args=[score.pk])
    assert score.score == 96 and score.band == "优秀"
    no_reason = client.post(url, {"holding": holding.pk, "scored_on": "2026-11-10", f"points_{item.pk}": "4"})
    assert "请填写扣分原因" in no_reason.content.decode()
    client.post(
        reverse("duty:score_outcome", args=[score.pk]),
        {
            "outcome": "reward",
            "amount": "1500",
            "decided_on": "2026-11-12",
            "paid_on": "2026-11-20",
            "note": "优秀",
        },
    )
    score.refresh_from_db()
    assert score.outcome == "reward" and score.amount == 1500 and score.paid_on == D(2026, 11, 20)
    client.post(reverse("duty:assessment_complete", args=[a.pk]), {"completed_on": "2026-11-25"})
    a.refresh_from_db()
    assert a.completed_on == D(2026, 11, 25)

    sheet = client.get(reverse("duty:score_docx", args=[score.pk]))
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(sheet.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "2026年度全员安全生产责任制考核表" in text and "考核结果：优秀" in text and "金额：1500.00 元" in text
    )
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells][:4] == [
        "序号",
        "责任制考核内容及标准",
        "指标考核",
        "考核满分",
    ]
    row2 = [c.text for c in table.rows[2].cells]
    assert row2[4] == "制度未评审" and row2[5] == "4.0" and row2[6] == "11.0"
    assert [c.text for c in table.rows[-1].cells][6] == "96.0"

    summary = client.get(reverse("duty:assessment_export", args=[a.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(summary.content))
    rows = list(wb["考核汇总"].iter_rows(values_only=True))
    assert (
        rows[1][1] == sets["boss"].name and rows[1][7] == 96 and rows[1][9] == "优秀" and rows[1][11] == 1500
    )
    assert "第2项 -4.0：制度未评审" in rows[1][14]
    info = dict(wb["概况"].iter_rows(min_row=2, values_only=True))
    assert info["获得奖励岗位（个）"] == 1 and info["兑现奖励金额（元）"] == 1500


def test_the_overview_counts_and_exports_only_the_units_own_enterprises(world, login):
    build_for(world.ent_a)
    build_for(world.ent_b, prefix="乙")
    client = login(world.admin_a)
    page = client.get(reverse("duty:overview"))
    assert [e.pk for e in page.context["object_list"]] == [world.ent_a.pk, world.ent_a1.pk]
    assert page.context["totals"]["lists"] == 1
    filtered = client.get(reverse("duty:overview"), {"lists": "no"})
    assert [e.pk for e in filtered.context["object_list"]] == [world.ent_a1.pk]
    export = client.get(reverse("duty:overview_export"), {"lists": "yes"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "企业名称" and len(rows) == 2
    assert rows[1][0] == world.ent_a.name and rows[1][5] == "是" and rows[1][12] == "是"


def test_the_two_key_few_list_shows_certificates_and_expiries_and_exports(world, login):
    sets = build_for(world.ent_a)
    build_for(world.ent_b, prefix="乙")
    client = login(world.admin_a)
    page = client.get(reverse("duty:key_people"))
    people = page.context["object_list"]
    assert {p.name for p in people} == {sets["boss"].name, sets["worker"].name}
    boss = next(p for p in people if p.pk == sets["boss"].pk)
    assert boss.is_principal and boss.key_certificates[0].number == "ZY-001"
    assert [
        p.name for p in client.get(reverse("duty:key_people"), {"cert": "missing"}).context["object_list"]
    ] == [sets["worker"].name]
    export = client.get(reverse("duty:key_people_export"))
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "企业", "监管单位", "类别")
    by_name = {r[0]: r for r in rows[1:]}
    assert (
        by_name[sets["boss"].name][6] == "ZY-001" and by_name[sets["worker"].name][10] == "缺少考核合格证明"
    )


@pytest.mark.parametrize("name", ["duty:overview", "duty:key_people"])
def test_list_pages_keep_a_ceiling_on_queries(name, world, login, django_assert_max_num_queries):
    for e in (world.ent_a, world.ent_a1):
        build_for(e, prefix=e.name)
    client = login(world.admin_a)
    with django_assert_max_num_queries(25):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "api:duty-status-list",
        "api:duty-person-list",
        "api:duty-post-list",
        "api:duty-list-list",
        "api:duty-assessment-list",
        "api:duty-score-list",
        "api:duty-officer-list",
        "api:duty-body-list",
        "api:duty-team-list",
        "api:duty-certificate-list",
    ],
)
def test_api_lists_show_only_the_callers_rows_with_a_ceiling_on_queries(
    name, world, login, django_assert_max_num_queries
):
    build_for(world.ent_a)
    build_for(world.ent_a1, prefix="甲二")
    build_for(world.ent_b, prefix="乙")
    client = login(world.admin_a)
    with django_assert_max_num_queries(20):
        rows = client.get(reverse(name)).json()["results"]
    assert rows
    ent_b_people = set(world.ent_b.people.values_list("pk", flat=True))
    for row in rows:
        assert row.get("enterprise") != world.ent_b.pk and row.get("person") not in ent_b_people
        if name == "api:duty-status-list":
            assert row["id"] != world.ent_b.pk


def test_a_unit_admin_inherits_and_adapts_a_template_from_the_templates_page(world, login):
    client = login(world.admin_a)
    system = DutyTemplate.objects.get(organization__isnull=True, level=PostLevel.EMPLOYEE)
    page = client.get(reverse("duty:template_list")).content.decode()
    assert system.title in page
    response = client.post(
        reverse("duty:template_derive"), {"source": system.pk, "organization": world.unit_a.pk}
    )
    derived = DutyTemplate.objects.get(organization=world.unit_a)
    assert response["Location"] == reverse("duty:template_edit", args=[derived.pk])
    data = {
        "title": "甲社岗位员工清单",
        "is_active": "on",
        **formset_data("duty", [{"text": "遵守门店安全制度", "basis": "第57条"}]),
        **formset_data(
            "assess", [{"content": "遵章作业", "indicator": "", "full_marks": "100", "scoring_rule": ""}]
        ),
    }
    assert client.post(reverse("duty:template_edit", args=[derived.pk]), data).status_code == 302
    derived.refresh_from_db()
    assert derived.title == "甲社岗位员工清单" and derived.duty_items.get().text == "遵守门店安全制度"
    assert (
        client.post(
            reverse("duty:template_derive"), {"source": system.pk, "organization": world.unit_b.pk}
        ).status_code
        == 404
    )
    assert login(world.admin_b).get(reverse("duty:template_edit", args=[derived.pk])).status_code == 404


def test_the_county_admin_publishes_a_new_article_24_rule_version_and_others_cannot(world, login):
    data = {
        "what": "rule",
        "headcount_threshold": "300",
        "strict_min_full_time": "2",
        "basic_min_officers": "1",
        "source": "地方规定",
        "valid_from": "2026-01-01",
    }
    assert login(world.admin_a).post(reverse("duty:catalogue"), data).status_code == 403
    assert StaffingRule.objects.count() == 1
    response = login(world.county_admin).post(reverse("duty:catalogue"), data)
    assert response.status_code == 302
    assert StaffingRule.objects.get(valid_to__isnull=True).headcount_threshold == 300
    assert StaffingRule.objects.get(valid_to=D(2026, 1, 1)).headcount_threshold == 100
    bands = {
        "what": "bands",
        "valid_from": "2026-02-01",
        "source": "新标准",
        **{
            "band-TOTAL_FORMS": "2",
            "band-INITIAL_FORMS": "0",
            "band-MIN_NUM_FORMS": "0",
            "band-MAX_NUM_FORMS": "8",
            "band-0-label": "合格",
            "band-0-min_score": "60",
            "band-0-passed": "on",
            "band-1-label": "不合格",
            "band-1-min_score": "0",
        },
    }
    assert login(world.county_admin).post(reverse("duty:catalogue"), bands).status_code == 302
    assert login(world.county_admin).get(reverse("duty:catalogue")).status_code == 200


def test_the_printable_responsibility_letter_reads_back_with_both_lists_and_the_holder(world, login):
    sets = build_for(world.ent_a)
    response = login(world.principal_a).get(reverse("duty:list_docx", args=[sets["list"].pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "总经理安全生产责任书" in text and "7. 及时、如实报告生产安全事故" in text
    assert f"责任人（签字）：{sets['boss'].name}" in text and "公示：2025-02-01 于 公司公示栏" in text
    rows = doc.tables[0].rows
    assert [c.text for c in rows[0].cells] == ["序号", "考核内容及标准", "指标", "满分", "评分办法"]
    assert len(rows) == 8 and rows[7].cells[3].text == "10.0"
