"""事故隐患内部报告奖励: the public report page (no login, size/type/flood limits, honeypot),
verification into a
hazard, rejection, rewards, the channel (mechanism, link, QR code)."""

import datetime
import io
import os
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.core.testing import png_bytes
from anbiao.hazards.choices import ReportStatus, Source, State
from anbiao.hazards.models import InternalReport, ReportingChannel
from anbiao.hazards.services import reports as services
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import photo, scope

TODAY = timezone.localdate()
FORM = {"location": "冷库门口", "description": "应急灯不亮", "reporter_name": "", "reporter_phone": ""}


@pytest.fixture
def channel(world):
    return factories.channel(world, world.ent_a)


def _url(channel):
    return f"/r/{channel.token}/"


def _written():
    return InternalReport.objects.count(), EvidenceFile.objects.count()


def _noise_png(side=200) -> bytes:
    buf = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buf, "PNG")
    return buf.getvalue()


# --- the public page --------------------------------------------------------------------------------------
def test_the_public_page_works_without_login_for_an_open_channel(client, channel):
    response = client.get(_url(channel))
    assert response.status_code == 200
    assert "甲一超市" in response.content.decode()
    response = client.post(
        _url(channel), {**FORM, "photo": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")}
    )
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    report = InternalReport.objects.get()
    assert (report.enterprise_id, report.status, report.location) == (
        channel.enterprise_id,
        "new",
        "冷库门口",
    )
    assert (
        EvidenceFile.objects.filter(owner_type="hazards.internalreport", owner_id=str(report.pk)).count() == 1
    )
    assert AuditEvent.objects.filter(
        action="hazards.report_submit", enterprise_id=channel.enterprise_id
    ).exists()
    assert client.get(_url(channel) + "?sent=1").status_code == 200


def test_an_unknown_token_and_a_closed_channel_are_404(client, world, channel):
    assert client.get("/r/no-such-token/").status_code == 404
    assert client.post("/r/no-such-token/", FORM).status_code == 404
    services.channel_save(
        actor=None,
        scope=factories.enterprise_scope(world.ent_a),
        enterprise=world.ent_a,
        data={"is_open": False},
    )
    assert client.get(_url(channel)).status_code == 404
    assert client.post(_url(channel), FORM).status_code == 404
    assert not InternalReport.objects.exists()
    with pytest.raises(ValidationError, match="暂未开放"):
        services.report_submit(channel=ReportingChannel.objects.get(pk=channel.pk), data=dict(FORM))


def test_a_non_image_upload_is_refused_in_chinese_and_nothing_is_written(client, channel):
    before = _written()
    upload = SimpleUploadedFile("evil.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(_url(channel), {**FORM, "photo": upload})
    assert response.status_code == 400
    assert "图片" in response.content.decode()
    assert _written() == before


def test_an_oversized_request_is_refused_in_chinese_and_nothing_is_written(client, channel, settings):
    settings.ANBIAO_UPLOAD_MAX_BYTES = 2000
    before = _written()
    big = _noise_png(200)
    assert len(big) > 2000 + 64 * 1024
    response = client.post(_url(channel), {**FORM, "photo": SimpleUploadedFile("big.png", big, "image/png")})
    assert response.status_code == 413
    assert "照片过大" in response.content.decode()
    assert _written() == before


def test_a_photo_just_over_the_limit_is_refused_by_the_file_store(client, channel, settings):
    settings.ANBIAO_UPLOAD_MAX_BYTES = 2000
    before = _written()
    photo_bytes = _noise_png(40)
    assert 2000 < len(photo_bytes) < 60 * 1024
    response = client.post(
        _url(channel), {**FORM, "photo": SimpleUploadedFile("m.png", photo_bytes, "image/png")}
    )
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert _written() == before


def test_the_sixth_post_from_one_address_within_the_hour_is_429(client, channel):
    for _ in range(5):
        assert client.post(_url(channel), FORM).status_code == 302
    response = client.post(_url(channel), FORM)
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert InternalReport.objects.count() == 5
    assert client.post(_url(channel), FORM, REMOTE_ADDR="10.1.2.3").status_code == 302
    assert InternalReport.objects.count() == 6


def test_the_honeypot_field_silently_drops_the_post(client, channel):
    response = client.post(_url(channel), {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    assert not InternalReport.objects.exists()


def test_an_incomplete_report_is_400(client, channel):
    assert client.post(_url(channel), {"location": "", "description": ""}).status_code == 400
    assert not InternalReport.objects.exists()


# --- verify / reject / reward ---------------------------------------------------------------------------
@pytest.fixture
def report(world, channel):
    return services.report_submit(channel=channel, data={**FORM, "reporter_name": "张工"}, photo=photo())


def test_verifying_creates_an_internal_report_hazard_and_moves_the_photo(world, report):
    verified = services.report_verify(
        actor=world.safety_a, scope=scope(world.safety_a), report=report, data={"kind": "thing"}
    )
    h = verified.hazard
    assert verified.status == ReportStatus.VERIFIED and verified.handled_by == world.safety_a
    assert (h.source, h.state, h.description, h.location) == (
        Source.INTERNAL,
        State.REGISTERED,
        "应急灯不亮",
        "冷库门口",
    )
    assert h.found_by_name == "张工" and h.enterprise == world.ent_a
    files = EvidenceFile.objects.filter(owner_type="hazards.hazard", owner_id=str(h.pk))
    assert files.count() == 1 and files.get().title == "整改前"
    assert not EvidenceFile.objects.filter(owner_type="hazards.internalreport").exists()
    with pytest.raises(ValidationError, match="已核实处理"):
        services.report_verify(
            actor=world.safety_a, scope=scope(world.safety_a), report=report, data={"kind": "thing"}
        )
    assert AuditEvent.objects.filter(action="hazards.report_verify").count() == 1


def test_a_report_received_early_in_the_morning_is_found_on_that_local_day(world, channel):
    report = services.report_submit(channel=channel, data=dict(FORM))
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    InternalReport.objects.filter(pk=report.pk).update(
        received_at=datetime.datetime(2025, 3, 10, 7, 30, tzinfo=shanghai)
    )
    verified = services.report_verify(
        actor=world.safety_a, scope=scope(world.safety_a), report=report, data={"kind": "thing"}
    )
    assert verified.hazard.found_on == datetime.date(2025, 3, 10)


def test_rejecting_needs_a_reason(world, report):
    with pytest.raises(ValidationError):
        services.report_reject(actor=world.safety_a, scope=scope(world.safety_a), report=report, reason=" ")
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW
    services.report_reject(
        actor=world.safety_a, scope=scope(world.safety_a), report=report, reason="现场核查正常"
    )
    report.refresh_from_db()
    assert (report.status, report.reject_reason, report.hazard) == (
        ReportStatus.REJECTED,
        "现场核查正常",
        None,
    )


def test_rewards_are_only_for_verified_reports(world, report):
    sc = scope(world.principal_a)
    with pytest.raises(ValidationError, match="只有核实属实"):
        services.report_reward(
            actor=world.principal_a,
            scope=sc,
            report=report,
            amount=Decimal(100),
            paid_on=TODAY,
            paid_by="会计",
        )
    services.report_verify(actor=world.principal_a, scope=sc, report=report, data={"kind": "thing"})
    report.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.report_reward(
            actor=world.principal_a,
            scope=sc,
            report=report,
            amount=Decimal(0),
            paid_on=TODAY + datetime.timedelta(days=1),
            paid_by=" ",
        )
    assert set(exc.value.message_dict) == {"amount", "paid_on", "paid_by"}
    services.report_reward(
        actor=world.principal_a,
        scope=sc,
        report=report,
        amount=Decimal("200.50"),
        paid_on=TODAY,
        paid_by="会计",
    )
    report.refresh_from_db()
    assert (report.reward_amount, report.reward_paid_on, report.reward_paid_by) == (
        Decimal("200.50"),
        TODAY,
        "会计",
    )


def test_a_rejected_report_gets_no_reward(world, report):
    sc = scope(world.principal_a)
    services.report_reject(actor=world.principal_a, scope=sc, report=report, reason="不属实")
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        services.report_reward(
            actor=world.principal_a,
            scope=sc,
            report=report,
            amount=Decimal(50),
            paid_on=TODAY,
            paid_by="会计",
        )


def test_supervisors_see_but_do_not_handle_and_the_sibling_enterprise_cannot(world, report):
    for user in (world.admin_a, world.county_admin, world.principal_b, world.leader):
        with pytest.raises(PermissionDenied):
            services.report_verify(actor=user, scope=scope(user), report=report, data={"kind": "thing"})
        with pytest.raises(PermissionDenied):
            services.report_reject(actor=user, scope=scope(user), report=report, reason="x")
    assert InternalReport.objects.visible_to(scope(world.admin_a)).filter(pk=report.pk).exists()
    assert not InternalReport.objects.visible_to(scope(world.admin_b)).filter(pk=report.pk).exists()


# --- channel, QR --------------------------------------------------------------------------------------------
def test_the_qr_code_is_served_to_enterprise_users_and_404_to_the_sibling(world, login, channel):
    response = login(world.principal_a).get(f"/hazards/channels/{world.ent_a.pk}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert login(world.admin_a).get(f"/hazards/channels/{world.ent_a.pk}/qr.svg").status_code == 200
    assert login(world.admin_b).get(f"/hazards/channels/{world.ent_a.pk}/qr.svg").status_code == 404
    assert login(world.principal_b).get(f"/hazards/channels/{world.ent_a.pk}/qr.svg").status_code == 404
    assert login(world.principal_b).get(f"/hazards/channels/{world.ent_b.pk}/qr.svg").status_code == 404


def test_the_channel_page_saves_the_mechanism_with_a_document(world, login):
    client = login(world.principal_a)
    assert client.get(f"/hazards/channels/{world.ent_a.pk}/").status_code == 200
    response = client.post(
        f"/hazards/channels/{world.ent_a.pk}/",
        {
            "is_open": "on",
            "established_on": "2025-01-02",
            "rule": "属实的奖励100元",
            "document": SimpleUploadedFile("rule.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    channel = ReportingChannel.objects.get(enterprise=world.ent_a)
    assert channel.mechanism_established and channel.established_on == datetime.date(2025, 1, 2)
    assert channel.document.title == "内部报告奖励制度"
    page = client.get(f"/hazards/channels/{world.ent_a.pk}/").content.decode()
    assert "已建立" in page and channel.token in page
    assert AuditEvent.objects.filter(action="hazards.channel_save", enterprise_id=world.ent_a.pk).exists()


def test_the_channel_refuses_a_future_date_and_supervisors_only_read_it(world, login):
    client = login(world.principal_a)
    response = client.post(
        f"/hazards/channels/{world.ent_a.pk}/",
        {"is_open": "on", "established_on": (TODAY + datetime.timedelta(days=2)).isoformat(), "rule": ""},
    )
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()
    assert not ReportingChannel.objects.exists()
    admin = login(world.admin_a)
    page = admin.get(f"/hazards/channels/{world.ent_a.pk}/")
    assert page.status_code == 200 and 'data-testid="channel-form"' not in page.content.decode()
    assert admin.post(f"/hazards/channels/{world.ent_a.pk}/", {"rule": "x"}).status_code == 403
    assert login(world.admin_b).get(f"/hazards/channels/{world.ent_a.pk}/").status_code == 404


def test_a_mechanism_without_a_document_is_not_established(world):
    channel = factories.channel(world, world.ent_a, established=False)
    assert not channel.mechanism_established
    assert channel.established_on is None and channel.document is None
