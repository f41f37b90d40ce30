"""Four-colour site maps (SVG page, PNG), 告知卡, 管控手册 and 评估报告: produced and read back."""

import io
import json

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anbiao.core.models import AuditEvent
from anbiao.core.testing import png_bytes
from anbiao.risks import documents, drawing
from anbiao.risks.models import MapShape, SiteMap
from anbiao.risks.testing import make_map, make_point

RED = {"L": 3, "E": 6, "C": 40}


def test_uploading_a_plan_and_drawing_points_on_it_through_the_pages(world, login):
    red = make_point(world, world.ent_a, name="油罐区", factors=RED)
    blue = make_point(world, world.ent_a, name="办公室", factors={"L": 1, "E": 3, "C": 3})
    client = login(world.safety_a)
    url = reverse("risks:sitemap_create", args=[world.ent_a.pk])
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile(
        "平面图.png", png_bytes((400, 200), (250, 250, 250)), content_type="image/png"
    )
    response = client.post(url, {"title": "厂区平面图", "plan": upload})
    site_map = SiteMap.objects.get()
    assert response.status_code == 302 and (site_map.width, site_map.height) == (400, 200)
    assert site_map.plan.owner_type == "risks.sitemap" and site_map.plan.is_image
    shapes = [
        {"risk_point": red.pk, "kind": "polygon", "points": [[0.1, 0.1], [0.4, 0.1], [0.4, 0.9], [0.1, 0.9]]},
        {"risk_point": blue.pk, "kind": "marker", "points": [[0.8, 0.5]]},
    ]
    page_url = reverse("risks:sitemap_detail", args=[site_map.pk])
    saved = client.post(page_url, {"shapes": json.dumps(shapes)})
    assert saved.status_code == 302
    assert MapShape.objects.filter(site_map=site_map).count() == 2
    assert AuditEvent.objects.filter(action="risks.sitemap_shapes").exists()
    page = client.get(page_url).content.decode()
    assert 'fill="#dc3545"' in page and "<polygon" in page and "<circle" in page and "mapedit.js" in page
    assert "style=" not in page.split("<main", 1)[1]  # CSP: no inline styles in the page body


def test_a_plan_that_is_not_an_image_is_refused_and_nothing_is_written(world, login):
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = login(world.safety_a).post(
        reverse("risks:sitemap_create", args=[world.ent_a.pk]), {"title": "x", "plan": pdf}
    )
    assert response.status_code == 400
    assert SiteMap.objects.count() == 0


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ({"kind": "polygon", "points": [[0.1, 0.1], [0.2, 0.2]]}, "至少需要 3 个顶点"),
        ({"kind": "marker", "points": [[1.5, 0.2]]}, "超出图面范围"),
        ({"kind": "circle", "points": [[0.5, 0.2]]}, "形状只能是"),
    ],
)
def test_bad_shapes_are_refused_naming_the_shape_and_the_old_ones_stay(world, login, shape, message):
    site_map = make_map(world, world.ent_a)
    point = site_map.shapes.first().risk_point
    shapes = [
        {"risk_point": point.pk, "kind": "marker", "points": [[0.5, 0.5]]},
        {"risk_point": point.pk, **shape},
    ]
    response = login(world.safety_a).post(
        reverse("risks:sitemap_detail", args=[site_map.pk]), {"shapes": json.dumps(shapes)}
    )
    assert response.status_code == 400
    assert "第2个图形" in response.context["error"] and message in response.context["error"]
    assert site_map.shapes.count() == 1


def test_a_point_of_another_enterprise_cannot_be_drawn_on_a_map(world, login):
    site_map = make_map(world, world.ent_a)
    other = make_point(world, world.ent_a1)
    response = login(world.admin_a).post(
        reverse("risks:sitemap_detail", args=[site_map.pk]),
        {"shapes": json.dumps([{"risk_point": other.pk, "kind": "marker", "points": [[0.5, 0.5]]}])},
    )
    assert response.status_code == 400 and "不属于本企业" in response.context["error"]


def test_a_leader_sees_the_map_but_cannot_save_shapes(world, login):
    site_map = make_map(world, world.ent_a)
    client = login(world.leader)
    assert client.get(reverse("risks:sitemap_detail", args=[site_map.pk])).status_code == 200
    assert (
        client.post(reverse("risks:sitemap_detail", args=[site_map.pk]), {"shapes": "[]"}).status_code == 403
    )
    assert site_map.shapes.count() == 1


def test_the_downloaded_png_shows_the_plan_coloured_with_legend_name_and_date(world, login):
    red = make_point(world, world.ent_a, name="油罐区", factors=RED)
    site_map = make_map(world, world.ent_a, point=red)
    response = login(world.principal_a).get(reverse("risks:sitemap_png", args=[site_map.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    img = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert img.width == 200 and img.height > 100  # plan plus header and legend
    # the polygon (0.1,0.1)-(0.5,0.1)-(0.5,0.6) is tinted red over the light grey plan
    title_h = int(drawing.font(24).size * 2.2)
    r, g, b = img.getpixel((int(0.47 * 200), title_h + int(0.45 * 100)))
    assert r > 200 and g < 190 and b < 190, (r, g, b)
    outside = img.getpixel((int(0.8 * 200), title_h + int(0.8 * 100)))
    assert outside == (240, 240, 240)  # the plan itself, untouched
    legend_row = [img.getpixel((20, img.height - 10 - i)) for i in range(20)]
    assert any(p[0] > 200 and p[1] < 80 for p in legend_row)  # the red swatch of the legend


def test_the_print_page_renders_the_svg_with_legend(world, login):
    site_map = make_map(world, world.ent_a)
    page = login(world.principal_a).get(reverse("risks:sitemap_print", args=[site_map.pk])).content.decode()
    assert "<svg" in page and "四色安全风险空间分布图" in page and "重大风险" in page


def test_sibling_maps_and_files_are_404(world, login):
    site_map_b = make_map(world, world.ent_b)
    client = login(world.admin_a)
    for name in ("risks:sitemap_detail", "risks:sitemap_png", "risks:sitemap_print"):
        assert client.get(reverse(name, args=[site_map_b.pk])).status_code == 404
    assert client.get(reverse("core:file_download", args=[site_map_b.plan_id])).status_code == 404
    for name in ("risks:manual_xlsx", "risks:report_docx", "risks:sitemap_create", "risks:enterprise_risks"):
        assert client.get(reverse(name, args=[world.ent_b.pk])).status_code == 404


def test_the_risk_card_page_and_docx_carry_the_risk_controls_and_contacts(world, login):
    point = make_point(
        world,
        world.ent_a,
        name="油罐区",
        factors=RED,
        measures_emergency="立即切断油源并报警",
        responsible_person="林主管",
        responsible_phone="13800001111",
        hazard_factors=["22"],
    )
    client = login(world.safety_a)
    page = client.get(reverse("risks:point_card", args=[point.pk]))
    assert page.status_code == 200 and "立即切断油源并报警" in page.content.decode()
    response = client.get(reverse("risks:point_card_docx", args=[point.pk]))
    assert response["Content-Type"] == documents.DOCX_MIME
    doc = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "岗位风险告知卡" in text and "红色 重大风险" in text
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert cells["风险点"] == "油罐区（场所区域）"
    assert cells["应急处置措施"] == "立即切断油源并报警"
    assert "13800001111" in cells["联系电话"]
    assert "化学性" in cells["主要危险有害因素"]
    assert "触电" in cells["可能导致的事故（后果）"]


def test_the_manual_xlsx_lists_every_live_point_with_history(world, login):
    make_point(world, world.ent_a, name="配电房")
    make_point(world, world.ent_a, name="油罐区", factors=RED)
    retired = make_point(world, world.ent_a, name="旧锅炉")
    retired.status = "retired"
    retired.save()
    response = login(world.principal_a).get(reverse("risks:manual_xlsx", args=[world.ent_a.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb[documents.MANUAL_SHEET]
    assert world.ent_a.name in ws["A1"].value
    assert [c.value for c in ws[2]] == documents.MANUAL_HEADERS
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"配电房", "油罐区"}
    h = documents.MANUAL_HEADERS
    assert rows["油罐区"][h.index("颜色")] == "红" and rows["油罐区"][h.index("分值")] == 720
    assert rows["配电房"][h.index("风险等级")] == "一般风险" and "L=3" in rows["配电房"][h.index("因子取值")]
    history = list(wb[documents.HISTORY_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(history) == 2 and history[0][-1] == "LEC 经典分级 第1版"


def test_the_report_docx_has_every_section_and_the_map_appended(world, login):
    red = make_point(world, world.ent_a, name="油罐区", factors=RED, measures_engineering="设置紧急切断阀")
    make_point(world, world.ent_a, name="配电房")
    make_map(world, world.ent_a, point=red)
    response = login(world.principal_a).get(reverse("risks:report_docx", args=[world.ent_a.pk]))
    doc = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == [
        "一、企业概况",
        "二、评估依据、范围和方法",
        "三、风险辨识与评价结果",
        "四、重大风险和较大风险",
        "五、管控措施",
        "六、结论",
        "附图：四色安全风险空间分布图",
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "红色 1 个" in text and "黄色 1 个" in text and "设置紧急切断阀" in text
    assert "最高风险等级为红色" in text
    results = doc.tables[1]
    assert [c.text for c in results.rows[0].cells][:2] == ["风险点", "类别"]
    assert len(doc.inline_shapes) == 1  # the map picture
    blob = doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = doc.part.related_parts[blob].blob
    assert Image.open(io.BytesIO(image)).format == "PNG"
