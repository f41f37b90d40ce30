import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from anbiao.campaigns import letters_docx, report_cells, selectors, services
from anbiao.campaigns.models import EnterpriseLetter, LetterEvent
from anbiao.campaigns.tests.conftest import scan
from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.orgs.models import Enterprise

D = datetime.date
MARCH_31 = D(2025, 3, 31)


def _texts(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def _letters(world, scope_of, campaign, *enterprises, deadline=MARCH_31):
    return services.letters_generate(
        actor=world.admin_a,
        scope=scope_of(world.admin_a),
        campaign=campaign,
        enterprises=enterprises,
        deadline=deadline,
    )


def test_generated_letters_carry_the_enterprise_names_and_the_units_deadline(world, campaign, login):
    client = login(world.admin_a)
    page = client.get(reverse("campaigns:letter_generate"), {"campaign": campaign.pk})
    assert page.status_code == 200
    assert set(page.context["form"].initial["enterprises"]) == {world.ent_a.pk, world.ent_a1.pk}
    response = client.post(
        reverse("campaigns:letter_generate"),
        {
            "campaign": campaign.pk,
            "deadline": "2025-04-20",
            "kinds": ["notice", "commitment"],
            "enterprises": [world.ent_a.pk, world.ent_a1.pk],
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    texts = _texts(response.content)
    body = "\n".join(texts)
    # two enterprises × (告知书 + 承诺书) × three copies
    assert texts.count(letters_docx.NOTICE_TITLE) == 6 and texts.count(letters_docx.COMMITMENT_TITLE) == 6
    assert texts.count("甲一超市：") == 3 and texts.count("甲二仓储：") == 3
    assert body.count("接收单位（盖章）：甲一超市") == 3
    assert body.count("承诺单位（盖章）：甲二仓储") == 3
    assert "评定标准，2025年4月20日前完成一次安全生产标准化提升年度自评工作" in body
    assert "并于2025年4月20日之前完成一次安全生产标准化年度自评工作" in body
    assert "测试县供销社（盖章）" in body  # the top unit issues the 告知书
    assert body.count("第三份：报送县社备案") == 4  # one per document and enterprise
    assert "（GB/T 33000-2016）" in body and "八个方面" in body
    letters = EnterpriseLetter.objects.filter(campaign=campaign)
    assert {letter.enterprise_id for letter in letters} == {world.ent_a.pk, world.ent_a1.pk}
    assert {letter.deadline for letter in letters} == {D(2025, 4, 20)}
    assert AuditEvent.objects.filter(action="campaigns.letters_generate").count() == 1


def test_generating_for_a_sibling_units_enterprise_is_refused_and_writes_nothing(
    world, campaign, scope_of, login
):
    with pytest.raises(PermissionDenied):
        _letters(world, scope_of, campaign, world.ent_a, world.ent_b)
    assert not EnterpriseLetter.objects.exists()
    response = login(world.admin_a).post(
        reverse("campaigns:letter_generate"),
        {
            "campaign": campaign.pk,
            "deadline": "2025-04-20",
            "kinds": ["notice"],
            "enterprises": [world.ent_b.pk],
        },
    )
    assert response.status_code == 400 and not EnterpriseLetter.objects.exists()


def test_generating_with_no_enterprise_names_the_field(world, campaign, login):
    response = login(world.admin_a).post(
        reverse("campaigns:letter_generate"),
        {"campaign": campaign.pk, "deadline": "2025-04-20", "kinds": ["notice"]},
    )
    assert response.status_code == 400 and 'data-field-error="enterprises"' in response.content.decode()


def test_delivery_and_signature_counts_name_who_is_still_missing(world, campaign, scope_of):
    la, la1 = _letters(world, scope_of, campaign, world.ent_a, world.ent_a1)
    scope = scope_of(world.admin_a)
    services.letter_deliver(
        actor=world.admin_a, scope=scope, letters=[la, la1], on=D(2025, 2, 1), method="in_person"
    )
    services.letter_sign(
        actor=world.admin_a, scope=scope, letter=la, on=D(2025, 2, 3), signer="张三", scan=scan()
    )
    progress = selectors.letter_progress(scope=scope, campaign=campaign, as_of=D(2025, 3, 31))
    assert (progress["total"], progress["delivered"], progress["signed"]) == (2, 2, 1)
    assert [e["name"] for e in progress["not_signed"]] == ["甲二仓储"]
    earlier = selectors.letter_progress(scope=scope, campaign=campaign, as_of=D(2025, 2, 2))
    assert (earlier["delivered"], earlier["signed"]) == (2, 0)
    county = selectors.letter_progress(
        scope=scope_of(world.county_admin), campaign=campaign, as_of=D(2025, 3, 31)
    )
    assert county["total"] == 3 and [e["name"] for e in county["not_delivered"]] == ["乙一加油站"]
    enterprises = Enterprise.objects.filter(unit__path__startswith=world.unit_a.path)
    assert report_cells.letters_delivered_enterprises(enterprises, D(2025, 3, 31)) == 2
    assert report_cells.commitments_signed_enterprises(enterprises, D(2025, 3, 31)) == 1
    assert report_cells.commitments_signed_enterprises(enterprises, D(2025, 2, 2)) == 0
    assert report_cells.letters_delivered_enterprises(enterprises, D(2025, 3, 31), since=D(2025, 2, 2)) == 0


def test_signing_requires_the_scan_of_the_stamped_copy(world, campaign, scope_of):
    (letter,) = _letters(world, scope_of, campaign, world.ent_a)
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.letter_sign(
            actor=world.admin_a,
            scope=scope_of(world.admin_a),
            letter=letter,
            on=D(2025, 2, 3),
            signer="张三",
            scan=None,
        )
    assert "scan" in exc.value.message_dict
    letter.refresh_from_db()
    assert letter.signed_on is None and AuditEvent.objects.count() == audits


def test_signing_records_the_scan_as_enterprise_evidence_and_the_timeline(world, campaign, scope_of):
    (letter,) = _letters(world, scope_of, campaign, world.ent_a)
    services.letter_sign(
        actor=world.admin_a,
        scope=scope_of(world.admin_a),
        letter=letter,
        on=D(2025, 2, 3),
        signer="张三",
        scan=scan(),
    )
    letter.refresh_from_db()
    assert letter.signed_scan.enterprise == world.ent_a and letter.delivered_on == D(2025, 2, 3)
    kinds = list(letter.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [LetterEvent.Kind.GENERATED, LetterEvent.Kind.DELIVERED, LetterEvent.Kind.SIGNED]
    assert all(e.backdated for e in letter.events.exclude(kind=LetterEvent.Kind.GENERATED))
    services.letter_post(actor=world.admin_a, scope=scope_of(world.admin_a), letter=letter, on=D(2025, 2, 4))
    letter.refresh_from_db()
    assert letter.posted_on == D(2025, 2, 4)


def test_posting_before_signing_is_refused(world, campaign, scope_of):
    (letter,) = _letters(world, scope_of, campaign, world.ent_a)
    with pytest.raises(ValidationError):
        services.letter_post(
            actor=world.admin_a, scope=scope_of(world.admin_a), letter=letter, on=D(2025, 2, 4)
        )


def test_a_unit_admin_marks_letters_delivered_signed_and_posted_on_the_pages(
    world, campaign, scope_of, login
):
    la, la1 = _letters(world, scope_of, campaign, world.ent_a, world.ent_a1)
    client = login(world.admin_a)
    listing = client.get(reverse("campaigns:letter_list"), {"campaign": campaign.pk})
    assert listing.context["progress"]["delivered"] == 0
    client.post(
        reverse("campaigns:letter_deliver"),
        {
            "letters": [la.pk, la1.pk],
            "delivered_on": "2025-02-01",
            "method": "mail",
            "next": "/campaigns/letters/",
        },
    )
    assert EnterpriseLetter.objects.filter(delivered_on=D(2025, 2, 1), delivery_method="mail").count() == 2
    assert client.get(reverse("campaigns:letter_detail", args=[la.pk])).status_code == 200
    bad = client.post(
        reverse("campaigns:letter_sign", args=[la.pk]), {"signed_on": "2025-02-02", "signer": "张三"}
    )
    assert bad.status_code == 400 and "请上传盖章承诺书" in bad.content.decode()
    client.post(
        reverse("campaigns:letter_sign", args=[la.pk]),
        {"signed_on": "2025-02-02", "signer": "张三", "scan": scan()},
    )
    client.post(reverse("campaigns:letter_post", args=[la.pk]), {"posted_on": "2025-02-03"})
    la.refresh_from_db()
    assert (la.signed_on, la.signer, la.posted_on) == (D(2025, 2, 2), "张三", D(2025, 2, 3))
    listing = client.get(reverse("campaigns:letter_list"), {"campaign": campaign.pk})
    assert (listing.context["progress"]["signed"], listing.context["progress"]["posted"]) == (1, 1)


def test_a_delivery_that_names_a_sibling_letter_changes_nothing(world, campaign, scope_of, login):
    (la,) = _letters(world, scope_of, campaign, world.ent_a)
    (lb,) = services.letters_generate(
        actor=world.admin_b,
        scope=scope_of(world.admin_b),
        campaign=campaign,
        enterprises=[world.ent_b],
        deadline=D(2025, 3, 31),
    )
    login(world.admin_a).post(
        reverse("campaigns:letter_deliver"),
        {"letters": [la.pk, lb.pk], "delivered_on": "2025-02-01", "method": "mail"},
    )
    assert not EnterpriseLetter.objects.filter(delivered_on__isnull=False).exists()


def test_the_single_letter_docx_reads_back(world, campaign, scope_of, login):
    (letter,) = _letters(world, scope_of, campaign, world.ent_a, deadline=D(2025, 3, 31))
    response = login(world.admin_a).get(
        reverse("campaigns:letter_docx", args=[letter.pk]), {"kind": "commitment"}
    )
    texts = _texts(response.content)
    assert letters_docx.NOTICE_TITLE not in texts and texts.count(letters_docx.COMMITMENT_TITLE) == 3
    assert "并于2025年3月31日之前完成" in "".join(texts)


def test_the_letter_list_and_export_are_scoped_and_read_back(
    world, campaign, scope_of, login, django_assert_max_num_queries
):
    _letters(world, scope_of, campaign, world.ent_a, world.ent_a1)
    services.letters_generate(
        actor=world.admin_b,
        scope=scope_of(world.admin_b),
        campaign=campaign,
        enterprises=[world.ent_b],
        deadline=D(2025, 3, 31),
    )
    client = login(world.admin_a)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("campaigns:letter_list"))
    assert {row.enterprise.name for row in response.context["object_list"]} == {"甲一超市", "甲二仓储"}
    export = client.get(reverse("campaigns:letter_export"), {"state": "not_delivered"})
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["甲一超市", "甲二仓储"]
    assert [c.value for c in ws[1]][:3] == ["企业名称", "统一社会信用代码", "监管单位"]


def test_the_scan_of_a_signed_letter_is_not_downloadable_by_a_sibling_unit(world, campaign, scope_of, login):
    (letter,) = _letters(world, scope_of, campaign, world.ent_a)
    services.letter_sign(
        actor=world.admin_a,
        scope=scope_of(world.admin_a),
        letter=letter,
        on=D(2025, 2, 3),
        signer="张三",
        scan=scan(),
    )
    letter.refresh_from_db()
    url = reverse("core:file_download", args=[letter.signed_scan_id])
    assert login(world.admin_b).get(url).status_code == 404
    assert login(world.admin_a).get(url).status_code == 200
    assert EvidenceFile.objects.filter(owner_type="campaigns.enterpriseletter").count() == 1


def test_the_delivery_form_never_redirects_to_another_site(world, campaign, scope_of, login):
    (letter,) = _letters(world, scope_of, campaign, world.ent_a)
    response = login(world.admin_a).post(
        reverse("campaigns:letter_deliver"),
        {"letters": [letter.pk], "delivered_on": "2025-02-01", "method": "mail", "next": "//evil.example/"},
    )
    assert response["Location"] == reverse("campaigns:letter_list")
