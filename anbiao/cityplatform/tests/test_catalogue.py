"""The field catalogue: the notice's eleven headings, unique stable keys, and sources that really exist."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from anbiao.cityplatform import rows, selectors
from anbiao.cityplatform.catalogue import COMMON_FIELDS, GROUPS, NOTICE_HEADINGS, datasets, problems


def resolve(source: str):
    """``app.Model[.field[.field…]]`` → the model or field it names (following foreign keys)."""
    app_label, model_name, *path = source.split(".")
    target = apps.get_model(app_label, model_name)
    found = target
    for name in path:
        found = target._meta.get_field(name)
        if found.is_relation and name != path[-1]:
            target = found.related_model
    return found


def test_the_catalogue_has_the_eleven_headings_of_the_notice_in_its_order():
    assert tuple(g.label for g in GROUPS) == NOTICE_HEADINGS
    assert len(GROUPS) == 11


def test_the_catalogue_has_unique_keys_known_kinds_and_a_label_and_meaning_for_every_field():
    assert problems() == []
    for g in GROUPS:
        assert g.meaning
        for d in g.datasets:
            assert d.label and d.meaning and d.fields


def test_every_source_names_a_real_model_or_field():
    sources = [f.source for f in COMMON_FIELDS]
    for _, d in datasets():
        sources.append(d.source)
        sources.extend(f.source for f in d.fields)
    for source in sources:
        try:
            assert resolve(source) is not None, source
        except (LookupError, FieldDoesNotExist) as exc:
            raise AssertionError(f"{source}: {exc}") from exc


def test_every_dataset_has_exactly_one_selector_and_one_row_builder():
    keys = {(g.key, d.key) for g, d in datasets()}
    assert set(selectors.SOURCES) == keys
    assert set(rows.BUILDERS) == keys


def test_every_group_has_a_source_in_the_system():
    assert [g.label for g in GROUPS if not g.has_source] == []
    # The parts of GB/T 33000 no record holds are named, not filled in.
    assert any("职业健康" in item for item in next(g for g in GROUPS if g.key == "site_management").uncovered)


def test_the_risk_group_carries_the_point_category_level_and_control_measures_the_notice_names():
    risk = next(g for g in GROUPS if g.key == "risk_control")
    points = next(d for d in risk.datasets if d.key == "risk_points")
    labels = {f.label for f in points.fields}
    assert {
        "风险点类别",
        "风险等级",
        "工程技术措施",
        "管理措施",
        "培训教育措施",
        "个体防护措施",
        "应急处置措施",
    } <= labels
