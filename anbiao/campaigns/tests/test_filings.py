import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anbiao.campaigns import selectors, services
from anbiao.campaigns.choices import FilingStatus, Timeliness
from anbiao.campaigns.models import Campaign, Filing, Phase, Requirement
from anbiao.campaigns.tests.conftest import docx_upload, scan
from anbiao.core.models import AuditEvent, EvidenceFile

D = datetime.date


def _req(campaign, order=1):
    return campaign.requirements.get(order=order)


def _file(world, scope_of, campaign, unit, filed_on, order=1, user=None):
    return services.filing_submit(
        actor=user or world.admin_a,
        scope=scope_of(user or world.admin_a),
        requirement=_req(campaign, order),
        unit=unit,
        filed_on=filed_on,
        scan=scan(),
        editable=docx_upload(),
    )


def test_the_2025_campaign_is_seeded_from_the_notice_as_data(campaign):
    phases = list(campaign.phases.values_list("name", "deadline"))
    assert phases == [
        ("动员部署", D(2025, 2, 10)),
        ("自评自纠", D(2025, 3, 31)),
        ("督导帮扶", D(2025, 9, 30)),
        ("执法推动", D(2025, 11, 30)),
        ("总结完善", D(2025, 12, 31)),
    ]
    dues = {r.title: r.due for r in campaign.requirements.all()}
    assert dues["本单位持续深化方案备案"] == D(2025, 2, 10)
    assert dues["“回头看”评估报告及持续改进清单"] == D(2025, 3, 25)
    assert dues["2025年度工作总结及有关报表"] == D(2026, 1, 5)
    assert dues["2025年第一季度工作总结及季报表"] == D(2025, 4, 1)


def test_a_unit_files_a_deliverable_with_scan_and_editable_file_and_it_is_audited(world, campaign, scope_of):
    before = AuditEvent.objects.count()
    filing = _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 10))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED and filing.backdated
    assert filing.scan.organization == world.unit_a and filing.editable.content_type.endswith("document")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True)[before:])
    assert actions.count("core.file_upload") == 2 and actions[-1] == "campaigns.filing_submit"


def test_filing_without_the_required_scan_is_refused_and_writes_nothing(world, campaign, scope_of):
    counts = (Filing.objects.count(), EvidenceFile.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.filing_submit(
            actor=world.admin_a,
            scope=scope_of(world.admin_a),
            requirement=_req(campaign),
            unit=world.unit_a,
            filed_on=D(2025, 2, 1),
            editable=docx_upload(),
        )
    assert "scan" in exc.value.message_dict
    assert (Filing.objects.count(), EvidenceFile.objects.count(), AuditEvent.objects.count()) == counts


def test_a_unit_cannot_file_for_a_sibling_unit(world, campaign, scope_of):
    count = Filing.objects.count()
    with pytest.raises(PermissionDenied):
        _file(world, scope_of, campaign, world.unit_b, D(2025, 2, 1))
    assert Filing.objects.count() == count


def test_a_second_filing_is_refused_while_the_first_stands_and_allowed_after_a_return(
    world, campaign, scope_of
):
    first = _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 1))
    with pytest.raises(ValidationError):
        _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 2))
    assert Filing.objects.filter(unit=world.unit_a).count() == 1
    services.filing_review(
        actor=world.county_admin,
        scope=scope_of(world.county_admin),
        filing=first,
        verb="return",
        reason="未盖章",
    )
    second = _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 12))
    assert second.status == FilingStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="campaigns.filing_return", object_id=str(first.pk)).exists()


@pytest.mark.parametrize(
    ("user", "verb", "allowed"),
    [
        ("county_admin", "accept", True),
        ("county_admin", "return", True),
        ("admin_a", "accept", False),
        ("admin_a", "return", False),
        ("leader", "accept", False),
    ],
)
def test_only_the_county_reviews_filings(world, campaign, scope_of, user, verb, allowed):
    filing = _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 1))
    actor = getattr(world, user)
    audits = AuditEvent.objects.count()
    if allowed:
        services.filing_review(actor=actor, scope=scope_of(actor), filing=filing, verb=verb, reason="请补充")
        filing.refresh_from_db()
        assert filing.status == (FilingStatus.ACCEPTED if verb == "accept" else FilingStatus.RETURNED)
        assert AuditEvent.objects.count() == audits + 1
    else:
        with pytest.raises(PermissionDenied):
            services.filing_review(actor=actor, scope=scope_of(actor), filing=filing, verb=verb, reason="x")
        filing.refresh_from_db()
        assert filing.status == FilingStatus.SUBMITTED and AuditEvent.objects.count() == audits


def test_returning_needs_a_reason(world, campaign, scope_of):
    filing = _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 1))
    with pytest.raises(ValidationError):
        services.filing_review(
            actor=world.county_admin,
            scope=scope_of(world.county_admin),
            filing=filing,
            verb="return",
            reason=" ",
        )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED


def test_the_board_shows_on_time_late_missing_and_pending_per_unit(world, campaign, scope_of):
    _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 10))  # on the due day
    _file(world, scope_of, campaign, world.unit_a1, D(2025, 2, 11))  # one day late
    rows = selectors.unit_obligations(
        scope=scope_of(world.county_admin), campaign=campaign, as_of=D(2025, 2, 11)
    )
    first = {r["unit"].code: r["cells"][0]["timeliness"] for r in rows}
    assert first == {"TA": Timeliness.ON_TIME, "TA1": Timeliness.LATE, "TB": Timeliness.MISSING}
    assert {r["unit"].code for r in selectors.late_units(rows, {_req(campaign).pk})} == {"TA1", "TB"}
    later = {r["cells"][1]["timeliness"] for r in rows}  # 回头看 report due 2025-03-25
    assert later == {Timeliness.PENDING}
    on_due_day = selectors.unit_obligations(
        scope=scope_of(world.county_admin), campaign=campaign, as_of=D(2025, 2, 10)
    )
    assert {r["unit"].code: r["cells"][0]["timeliness"] for r in on_due_day}["TB"] == Timeliness.PENDING


def test_a_unit_admin_sees_only_its_own_subtree_on_the_board(world, campaign, scope_of):
    rows = selectors.unit_obligations(scope=scope_of(world.admin_a), campaign=campaign, as_of=D(2025, 3, 1))
    assert {r["unit"].code for r in rows} == {"TA", "TA1"}


def test_county_admin_sees_which_units_are_late_for_a_phase_on_the_board_page(
    world, campaign, scope_of, login
):
    _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 9))
    phase = campaign.phases.get(order=1)
    client = login(world.county_admin)
    response = client.get(
        reverse("campaigns:board"), {"campaign": campaign.pk, "phase": phase.pk, "as_of": "2025-02-20"}
    )
    assert response.status_code == 200
    late = {row["unit"].code for row in response.context["late"]}
    assert late == {"TA1", "TB"}
    assert "逾期未报" in response.content.decode()


def test_the_board_export_reads_back_with_one_row_per_unit(world, campaign, scope_of, login):
    _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 12))
    response = login(world.county_admin).get(
        reverse("campaigns:board_export"), {"campaign": campaign.pk, "as_of": "2025-12-31"}
    )
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"甲供销社", "甲供销社服务中心", "乙供销社"}
    assert rows["甲供销社"][1].startswith("逾期报送 2025-02-12（逾期2天）")
    assert rows["乙供销社"][1].startswith("逾期未报")


def test_a_unit_files_through_the_page_and_the_county_returns_it(world, campaign, login):
    client = login(world.admin_a)
    req = _req(campaign)
    assert client.get(reverse("campaigns:filing_create"), {"campaign": campaign.pk}).status_code == 200
    response = client.post(
        reverse("campaigns:filing_create") + f"?campaign={campaign.pk}",
        {
            "requirement": req.pk,
            "unit": world.unit_a.pk,
            "filed_on": "2025-02-10",
            "scan": scan(),
            "editable": docx_upload(),
        },
    )
    filing = Filing.objects.get(unit=world.unit_a)
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:filing_detail", args=[filing.pk]
    )
    assert client.get(reverse("campaigns:filing_detail", args=[filing.pk])).status_code == 200
    assert client.post(reverse("campaigns:filing_accept", args=[filing.pk])).status_code == 403
    county = login(world.county_admin)
    county.post(reverse("campaigns:filing_return", args=[filing.pk]), {"reason": "扫描件不清晰"})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED and filing.return_reason == "扫描件不清晰"


def test_the_filing_page_shows_the_reason_of_a_refused_filing_and_writes_nothing(world, campaign, login):
    client = login(world.admin_a)
    response = client.post(
        reverse("campaigns:filing_create") + f"?campaign={campaign.pk}",
        {"requirement": _req(campaign).pk, "unit": world.unit_a.pk, "filed_on": "2025-02-10"},
    )
    assert response.status_code == 400
    assert "请上传加盖公章的扫描件" in response.content.decode()
    assert not Filing.objects.exists()


def test_the_county_accepts_a_filing_on_the_page(world, campaign, scope_of, login):
    filing = _file(world, scope_of, campaign, world.unit_a, D(2025, 2, 1))
    login(world.county_admin).post(reverse("campaigns:filing_accept", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED


def test_the_filing_list_is_scoped_and_runs_a_fixed_number_of_queries(
    world, campaign, scope_of, login, django_assert_max_num_queries
):
    for unit in (world.unit_a, world.unit_a1):
        _file(world, scope_of, campaign, unit, D(2025, 2, 1))
    _file(world, scope_of, campaign, world.unit_b, D(2025, 2, 1), user=world.admin_b)
    client = login(world.admin_a)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("campaigns:filing_list"))
    assert {f.unit.code for f in response.context["object_list"]} == {"TA", "TA1"}


def test_the_county_creates_the_2026_campaign_from_2025_without_code(world, campaign, login):
    client = login(world.county_admin)
    assert client.get(reverse("campaigns:setup")).status_code == 200
    response = client.post(
        reverse("campaigns:setup"),
        {
            "action": "create",
            "new-year": 2026,
            "new-name": "2026年专项行动",
            "new-starts_on": "2026-01-20",
            "new-ends_on": "2026-12-31",
            "new-letter_deadline": "2026-03-31",
            "new-is_active": "on",
            "new-copy_from": campaign.pk,
        },
    )
    new = Campaign.objects.get(year=2026)
    assert response.status_code == 302
    assert new.phases.get(order=1).deadline == D(2026, 2, 10)
    assert new.requirements.get(order=8).due == D(2027, 1, 5)
    assert new.requirements.get(order=4).title == "2026年第一季度工作总结及季报表"
    assert AuditEvent.objects.filter(action="campaigns.campaign_create").exists()


def test_the_county_edits_a_campaign_its_phases_and_deliverables_on_the_setup_page(world, campaign, login):
    client = login(world.county_admin)
    url = reverse("campaigns:setup") + f"?campaign={campaign.pk}"
    phase = campaign.phases.get(order=3)
    client.post(
        url,
        {
            "action": "phase",
            "id": phase.pk,
            f"p{phase.pk}-order": 3,
            f"p{phase.pk}-name": "督导帮扶",
            f"p{phase.pk}-deadline": "2025-10-15",
            f"p{phase.pk}-description": "",
        },
    )
    phase.refresh_from_db()
    assert phase.deadline == D(2025, 10, 15)
    client.post(
        url,
        {
            "action": "requirement",
            "rnew-phase": phase.pk,
            "rnew-order": 9,
            "rnew-title": "督导帮扶工作情况",
            "rnew-due": "2025-09-30",
            "rnew-needs_scan": "on",
        },
    )
    assert Requirement.objects.get(campaign=campaign, order=9).phase == phase
    client.post(
        url, {"action": "phase", "pnew-order": 6, "pnew-name": "巩固提升", "pnew-deadline": "2026-01-31"}
    )
    assert Phase.objects.filter(campaign=campaign, name="巩固提升").exists()
    edit = {
        f"edit-{k}": v
        for k, v in {
            "year": 2025,
            "name": campaign.name,
            "document_no": "惠供联〔2025〕7号",
            "starts_on": "2025-01-26",
            "ends_on": "2025-12-31",
            "letter_deadline": "2025-04-15",
        }.items()
    }
    client.post(url, {"action": "edit", **edit})
    campaign.refresh_from_db()
    assert campaign.letter_deadline == D(2025, 4, 15) and not campaign.is_active
    bad = client.post(url, {"action": "phase", "pnew-order": 7, "pnew-name": "", "pnew-deadline": "x"})
    assert bad.status_code == 400


def test_a_unit_admin_cannot_open_the_setup_page(world, campaign, login):
    assert login(world.admin_a).get(reverse("campaigns:setup")).status_code == 403
