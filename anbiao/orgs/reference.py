"""Seeded reference data (editable afterwards by a county administrator in the admin)."""

INDUSTRIES = [
    ("retail", "商贸零售"),
    ("logistics", "仓储物流"),
    ("agri_inputs", "农资（化肥/农药）经营"),
    ("fireworks", "烟花爆竹经营"),
    ("fuel", "成品油/加油站"),
    ("recycling", "再生资源回收"),
    ("agri_processing", "农产品加工"),
    ("hospitality", "宾馆餐饮"),
    ("other", "其他"),
]

# 惠安县 towns and the 泉州台商投资区 towns historically served by 惠安县供销社.
TOWNSHIPS = [
    ("luocheng", "螺城镇"),
    ("luoyang_hui", "螺阳镇"),
    ("huangtang", "黄塘镇"),
    ("zishan", "紫山镇"),
    ("tuzhai", "涂寨镇"),
    ("dongling", "东岭镇"),
    ("dongqiao", "东桥镇"),
    ("jingfeng", "净峰镇"),
    ("xiaozuo", "小岞镇"),
    ("shanxia", "山霞镇"),
    ("chongwu", "崇武镇"),
    ("wangchuan", "辋川镇"),
    ("luoyang_tai", "洛阳镇"),
    ("dongyuan", "东园镇"),
    ("zhangban", "张坂镇"),
    ("baiqi", "百崎回族乡"),
]


def seed(industry_model, township_model) -> None:
    """Add the seeded entries that are missing (never overwrites what an administrator changed)."""
    for order, (code, name) in enumerate(INDUSTRIES):
        industry_model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (code, name) in enumerate(TOWNSHIPS):
        township_model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def seed_everything() -> None:
    """What the data migrations seed — industries, townships and every module's catalogues (its ``seed``
    hook) — added again where missing: after a flush (a transactional test, a fresh demo or synthetic
    build on a flushed database). Idempotent."""
    from anbiao.core import registry
    from anbiao.orgs.models import Industry, Township

    seed(Industry, Township)
    for hook in registry.hooks("seed"):
        hook()
