"""Demo data: risk points with 2024–2026 assessments, site plans with four-colour maps, enterprise grades."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from anbiao.accounts.models import User
from anbiao.risks import drawing, grading, selectors, services
from anbiao.risks.models import RiskPoint

# name, kind, location, hazard factors, accident types, (method, factors), plan rectangle (x0, y0, x1, y1)
POOL = [
    ("配电房", "area", "综合楼一层东侧", ["21", "43"], ["05", "08"], ("lec", (1, 6, 7))),
    ("消防通道及疏散设施", "area", "各楼层", ["31", "45"], ["08"], ("lec", (1, 6, 15))),
    ("电动叉车作业", "activity", "仓库及装卸区", ["12", "21"], ["02", "01"], ("lec", (3, 6, 7))),
    ("货架存储区", "area", "仓库", ["21", "31"], ["10", "01"], ("lec", (3, 6, 3))),
    ("登高作业", "activity", "仓库、屋面", ["12", "32"], ["09"], ("lec", (3, 3, 15))),
    ("办公区域", "area", "综合楼二层", ["31"], ["08", "20"], ("lec", (1, 3, 3))),
]
BY_INDUSTRY = {
    "retail": [
        ("超市卖场（人员密集场所）", "area", "一层卖场", ["31", "45"], ["08", "20"], ("lec", (3, 6, 7))),
        ("冷库", "equipment", "后场", ["21", "22"], ["19"], ("ls", (2, 4))),
    ],
    "logistics": [
        ("高位货架仓库", "area", "1号仓库", ["21", "43"], ["10", "01", "08"], ("lec", (3, 6, 15))),
        ("装卸平台", "area", "仓库北侧", ["12", "32"], ["02", "09"], ("ls", (3, 3))),
    ],
    "agri_inputs": [
        ("农药仓库", "area", "后院仓库", ["22", "43"], ["19", "08"], ("lec", (3, 6, 15))),
        ("化肥堆垛区", "area", "前仓", ["21"], ["10"], ("lec", (3, 3, 7))),
    ],
    "fireworks": [
        ("烟花爆竹储存仓库", "area", "专用仓库", ["22", "43"], ["14", "08"], ("lec", (3, 6, 40))),
        ("零售柜台", "post", "店面", ["12", "22"], ["14", "08"], ("lec", (3, 6, 15))),
    ],
    "fuel": [
        ("储油罐区", "equipment", "站区西侧", ["22", "21"], ["18", "08", "17"], ("lec", (1, 10, 40))),
        ("卸油作业", "activity", "卸油口", ["12", "22"], ["08", "18"], ("lec", (1, 6, 40))),
        ("加油作业区", "area", "罩棚下", ["22", "12"], ["08", "02"], ("lec", (3, 6, 15))),
    ],
    "recycling": [
        ("液压打包机", "equipment", "分拣车间", ["21", "12"], ["03"], ("lec", (3, 6, 7))),
        ("废旧物资堆场", "area", "露天堆场", ["32", "22"], ["08"], ("lec", (3, 6, 15))),
    ],
    "agri_processing": [
        ("燃煤（生物质）锅炉", "equipment", "锅炉房", ["21", "22"], ["16", "07"], ("mes", (3, 6, 8))),
        ("揉捻、烘干机械", "equipment", "加工车间", ["21", "12"], ["03", "07"], ("ls", (3, 3))),
    ],
    "hospitality": [
        ("厨房燃气灶具", "area", "后厨", ["22", "43"], ["08", "18"], ("lec", (3, 6, 15))),
        ("客房", "area", "二至五层", ["31"], ["08"], ("lec", (1, 6, 7))),
    ],
}
RECTS = [
    (0.06, 0.12, 0.30, 0.42),
    (0.36, 0.12, 0.62, 0.42),
    (0.68, 0.12, 0.94, 0.42),
    (0.06, 0.56, 0.30, 0.88),
    (0.36, 0.56, 0.62, 0.88),
    (0.68, 0.56, 0.94, 0.88),
    (0.44, 0.46, 0.56, 0.52),
    (0.14, 0.46, 0.22, 0.52),
]
MEASURES = {
    "05": (
        "设置漏电保护和接地，配电柜加锁",
        "执行电气设备巡检和停送电制度",
        "电工持证上岗，开展安全用电培训",
        "穿戴绝缘鞋、绝缘手套",
        "发生触电立即断电，心肺复苏并拨打120",
    ),
    "08": (
        "配置灭火器和火灾自动报警装置，保持疏散通道畅通",
        "执行动火审批和每日防火巡查",
        "每年组织消防培训和疏散演练",
        "配备防烟面罩",
        "发现火情立即报警119，组织疏散，初期火灾用灭火器扑救",
    ),
    "02": (
        "设置限速、警示标识和人车分流线",
        "叉车每日点检，专人专车",
        "叉车司机持证上岗",
        "穿反光背心、安全鞋",
        "发生碰撞立即停车，救护伤员并报告",
    ),
    "10": (
        "货架固定并标明限载，堆垛限高",
        "定期检查货架和堆垛稳定性",
        "培训正确码放方法",
        "佩戴安全帽",
        "发生坍塌立即撤离，设置警戒，救出被困人员",
    ),
    "09": (
        "使用合格梯具，临边设置护栏",
        "登高作业审批，专人监护",
        "登高作业培训",
        "系安全带，戴安全帽",
        "发生坠落不得随意搬动伤员，立即拨打120",
    ),
    "19": (
        "设置通风和有毒气体检测报警",
        "执行进入受限空间审批和双人作业",
        "开展中毒窒息防护培训",
        "佩戴防毒面具或空气呼吸器",
        "迅速将中毒者移至空气新鲜处，拨打120",
    ),
    "14": (
        "仓库防爆电气、防静电和避雷设施，限量存放",
        "严禁烟火，出入库登记，双人双锁",
        "从业人员安全培训持证",
        "穿防静电工作服",
        "发生火情立即疏散周边人员，报警119，严禁冒险扑救",
    ),
    "18": (
        "设置可燃气体报警、紧急切断和静电接地",
        "执行作业前检查和操作规程",
        "开展防爆知识培训",
        "穿防静电服",
        "发生泄漏立即切断气源、疏散人员并报警",
    ),
    "03": (
        "设备防护罩、急停按钮和联锁装置完好",
        "执行设备操作规程和检修挂牌上锁",
        "操作人员岗前培训",
        "禁止戴手套操作旋转部位，扎紧袖口",
        "发生伤害立即停机，止血包扎，送医",
    ),
    "16": (
        "安全阀、压力表、水位计定期校验",
        "司炉持证上岗，执行交接班记录",
        "司炉人员培训",
        "佩戴隔热手套和面罩",
        "超压立即停火泄压，撤离人员并报告",
    ),
    "20": ("保持地面干燥、照明充足", "每日巡查", "入职安全教育", "按需佩戴防护用品", "受伤立即救护并报告"),
}
POLICY_PEOPLE = ["陈经理", "林主管", "黄班长", "张师傅", "李主任", "王组长"]


def _plan_png(rng, names: list[str]) -> bytes:
    img = Image.new("RGB", (1200, 800), (246, 244, 238))
    d = ImageDraw.Draw(img)
    f = drawing.font(26)
    d.rectangle((30, 30, 1170, 770), outline=(90, 90, 90), width=4)
    d.rectangle((30, 365, 1170, 445), fill=(220, 220, 220))
    d.text((1040, 380), "厂区道路", fill=(80, 80, 80), font=drawing.font(22))
    d.text((1110, 50), "N↑", fill=(60, 60, 60), font=f)
    for rect, name in zip(RECTS, names, strict=False):
        x0, y0, x1, y1 = (rect[0] * 1200, rect[1] * 800, rect[2] * 1200, rect[3] * 800)
        d.rectangle((x0, y0, x1, y1), fill=(255, 255, 255), outline=(60, 60, 60), width=3)
        d.text((x0 + 10, y0 + 8), name[:8], fill=(40, 40, 40), font=drawing.font(20))
    d.rectangle((560, 740, 640, 770), fill=(120, 120, 120))
    d.text((575, 705), "大门", fill=(40, 40, 40), font=f)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _dates(rng, registered: datetime.date, today: datetime.date) -> list[datetime.date]:
    start = max(registered + datetime.timedelta(days=20), datetime.date(2024, 1, 10))
    first = start + datetime.timedelta(days=rng.randint(0, 200))
    dates = [first]
    if rng.random() < 0.85:
        dates.append(
            max(
                first + datetime.timedelta(days=150),
                datetime.date(2025, rng.randint(1, 11), rng.randint(1, 28)),
            )
        )
    if len(dates) == 2 and rng.random() < 0.85:
        dates.append(
            max(
                dates[-1] + datetime.timedelta(days=120),
                datetime.date(2026, rng.randint(5, 10), rng.randint(1, 28)),
            )
        )
    return [d for d in dates if d <= today - datetime.timedelta(days=3)] or [min(first, today)]


def _point(ctx, enterprise, tpl, n):
    name, kind, location, factors, accidents, _ = tpl
    m = MEASURES.get(accidents[0], MEASURES["20"])
    return services.point_create(
        actor=None,
        scope=ctx.scope,
        enterprise=enterprise,
        data={
            "name": name,
            "kind": kind,
            "location": location,
            "hazard_factors": factors,
            "accident_types": accidents,
            "hazard_description": f"{name}存在{'、'.join(drawing_labels(accidents))}等危险。",
            "measures_engineering": m[0],
            "measures_management": m[1],
            "measures_training": m[2],
            "measures_ppe": m[3],
            "measures_emergency": m[4],
            "check_content": f"检查{m[0]}情况；{m[1]}是否落实。",
            "responsible_department": ["安全部", "仓储部", "生产部", "综合部"][n % 4],
            "responsible_person": POLICY_PEOPLE[(enterprise.pk + n) % len(POLICY_PEOPLE)],
            "responsible_phone": f"138{enterprise.pk:04d}{n:04d}"[:11],
            "check_cycle": ["daily", "weekly", "monthly"][n % 3],
        },
    )


def drawing_labels(codes):
    from anbiao.risks.choices import AccidentType

    names = dict(AccidentType.choices)
    return [str(names[c]) for c in codes]


def _plan(rng, e, today, own: bool):
    """What to record for one enterprise: [(template, [(date, factors, note)], controls_effective)]."""
    specific = BY_INDUSTRY.get(e.industry.code, [])
    extra = POOL[:5] if own else rng.sample(POOL, k=rng.randint(1, 3))
    worse = rng.random()
    dates = _dates(rng, e.registered_on, today)  # an enterprise re-assesses all its points together
    lax = rng.random() < 0.3  # its first assessment found controls not yet effective
    plan = []
    for n, tpl in enumerate(specific + extra):
        method, values = tpl[5]
        values = list(values)
        if method == "lec" and worse < 0.12 and n == 0:
            values[0] = 6  # a site with a poorly controlled hazard
        elif method == "lec" and n < len(specific) and values[0] == 3 and rng.random() < 0.5:
            values[0] = 1  # a well-run site: the same hazard is less likely
        names = {"lec": ("L", "E", "C"), "ls": ("L", "S"), "mes": ("M", "E", "S")}[method]
        rows = []
        for i, on in enumerate(dates):
            note = "年度复评" if i else ""
            if i and method == "lec" and values[0] > 1 and rng.random() < 0.35:
                values[0] = {6: 3, 3: 1}[values[0]]
                note = "整改后复评：增设防护设施，事故可能性降低"
            rows.append((on, dict(zip(names, values, strict=True)), note, not (lax and i == 0)))
        plan.append((tpl, method, rows))
    return plan


def build(ctx) -> None:
    selectors.ensure_catalogue()
    if RiskPoint.objects.exists():
        return
    rng, today = ctx.rng, ctx.today
    sets = {(b.method, b.variant): b for b in selectors.current_band_sets()}
    band = {"lec": sets[("lec", "classic")], "ls": sets[("ls", "A")], "mes": sets[("mes", "classic")]}
    safety = ctx.users.get("ent_safety")
    own = {m.enterprise_id for m in safety.memberships.all()} if safety else set()
    operating = [e for e in ctx.enterprises if e.status == "operating"]
    luocheng = ctx.units.get("HA-LC")
    mapped = {e.pk for e in operating if e.pk in own or (luocheng and e.unit_id == luocheng.pk)}
    bulk = []
    for e in operating:
        plan = _plan(rng, e, today, e.pk in own)
        if e.pk not in mapped:
            bulk.append((e, plan))
            continue
        points = []
        for n, (tpl, method, rows) in enumerate(plan):
            point = _point(ctx, e, tpl, n)
            for on, factors, note, effective in rows:
                services.assessment_create(
                    actor=None,
                    scope=ctx.scope,
                    point=point,
                    band_set=band[method],
                    factors=factors,
                    assessed_on=on,
                    controls_effective=effective,
                    assessor="企业安全管理员" if note else "第三方评估机构",
                    note=note,
                )
            point.refresh_from_db()
            points.append(point)
        if e.pk in own and points and points[-1].level in ("low", "general"):
            services.level_raise(
                actor=None,
                scope=ctx.scope,
                point=points[-1],
                level="significant",
                reason="近期同类企业发生事故，从严从高调高等级",
                on=points[-1].assessed_on,
            )
        if points and (e.pk in own or rng.random() < 0.5):
            _site_map(ctx, e, points, rng)
    _bulk(bulk, band)


def finish(ctx) -> None:
    """After every module's demo data exists: grades at each quarter end read everyone's facts."""
    from anbiao.risks.models import EnterpriseGrade

    if not EnterpriseGrade.objects.exists():
        _grades(ctx)


def _bulk(items, band) -> None:
    """The other enterprises' points, written in a few queries with the same pure scoring (demo only)."""
    from anbiao.risks import scoring
    from anbiao.risks.dates import add_months
    from anbiao.risks.models import RiskAssessment

    policies = selectors.level_policies()
    specs = {m: selectors.band_specs(b) for m, b in band.items()}
    labels = {m: {(f.factor, f.value): f.label for f in b.factors.all()} for m, b in band.items()}
    points, plans = [], []
    for e, plan in items:
        for n, (tpl, method, rows) in enumerate(plan):
            name, kind, location, factors, accidents, _ = tpl
            m = MEASURES.get(accidents[0], MEASURES["20"])
            points.append(
                RiskPoint(
                    enterprise=e,
                    name=name,
                    kind=kind,
                    location=location,
                    hazard_factors=factors,
                    accident_types=accidents,
                    hazard_description=f"{name}存在{'、'.join(drawing_labels(accidents))}等危险。",
                    measures_engineering=m[0],
                    measures_management=m[1],
                    measures_training=m[2],
                    measures_ppe=m[3],
                    measures_emergency=m[4],
                    check_content=f"检查{m[0]}情况；{m[1]}是否落实。",
                    responsible_department=["安全部", "仓储部", "综合部"][n % 3],
                    responsible_person=POLICY_PEOPLE[(e.pk + n) % len(POLICY_PEOPLE)],
                    check_cycle=["daily", "weekly", "monthly"][n % 3],
                )
            )
            plans.append((method, rows))
    RiskPoint.objects.bulk_create(points, batch_size=500)
    assessments = []
    from decimal import Decimal

    for point, (method, rows) in zip(points, plans, strict=True):
        for i, (on, factors, note, effective) in enumerate(rows):
            values = {
                k: {
                    "value": float(v),
                    "label": labels[method][(k, Decimal(str(v)).quantize(Decimal("0.01")))],
                }
                for k, v in factors.items()
            }
            score = scoring.product(factors.values())
            level = scoring.classify(score, specs[method]).level
            a = RiskAssessment(
                risk_point=point,
                band_set=band[method],
                method=method,
                factors=values,
                score=score,
                computed_level=level,
                level=level,
                controls_effective=effective,
                assessed_on=on,
                next_review_on=add_months(on, policies[level].review_months),
                assessor="企业安全管理员" if i else "第三方评估机构",
                note=note,
                backdated=True,
            )
            assessments.append(a)
        latest = assessments[-1]
        point.level, point.score, point.assessed_on = latest.level, latest.score, latest.assessed_on
        point.next_review_on = latest.next_review_on
        point.control_level = policies[latest.level].control_level
    RiskAssessment.objects.bulk_create(assessments, batch_size=500)
    RiskPoint.objects.bulk_update(
        points, ["level", "score", "assessed_on", "next_review_on", "control_level"], batch_size=500
    )


def _site_map(ctx, enterprise, points, rng) -> None:
    names = [p.name for p in points]
    site_map = services.sitemap_create(
        actor=None,
        scope=ctx.scope,
        enterprise=enterprise,
        title="厂区总平面图",
        upload=SimpleUploadedFile("plan.png", _plan_png(rng, names), content_type="image/png"),
    )
    shapes = []
    for rect, p in zip(RECTS, points, strict=False):
        x0, y0, x1, y1 = rect
        if p.kind == "activity":
            shapes.append({"risk_point": p.pk, "kind": "marker", "points": [[(x0 + x1) / 2, (y0 + y1) / 2]]})
        else:
            shapes.append(
                {"risk_point": p.pk, "kind": "polygon", "points": [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]}
            )
    services.sitemap_save_shapes(actor=None, scope=ctx.scope, site_map=site_map, shapes=shapes)


def _quarter_ends(today: datetime.date):
    for year in (2024, 2025, 2026):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            d = datetime.date(year, month, day)
            if d < today:
                yield d


def _grades(ctx) -> None:
    for on in _quarter_ends(ctx.today):
        grading.grades_recompute(actor=None, scope=ctx.scope, on=on)
    grading.grades_recompute(actor=None, scope=ctx.scope, on=ctx.today)
    admin = User.objects.filter(username="unit_admin").first()
    luocheng = ctx.units.get("HA-LC")
    if luocheng is None:
        return
    target = next(
        (
            e
            for e in ctx.enterprises
            if e.unit_id == luocheng.pk
            and e.status == "operating"
            and e.industry.code in ("fireworks", "fuel", "agri_inputs")
        ),
        None,
    )
    if target is not None:
        row = grading.grade_override(
            actor=None,
            scope=ctx.scope,
            enterprise=target,
            level="major",
            reason="督查发现违规储存，责令整改期间按红色监管",
            until=ctx.today + datetime.timedelta(days=60),
            on=ctx.today,
        )
        if admin is not None:
            row.set_by = admin
            row.save(update_fields=["set_by"])
