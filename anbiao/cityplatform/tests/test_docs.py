import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from anbiao.cityplatform.catalogue import COMMON_FIELDS, GROUPS
from anbiao.cityplatform.docs import render


def test_the_committed_docs_city_platform_md_equals_the_generated_text():
    committed = (Path(settings.BASE_DIR) / "docs" / "city-platform.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/city-platform.md is stale: run manage.py anbiao_cityplatform_docs"


def test_the_docs_list_every_group_dataset_and_field_with_its_label_key_source_and_meaning():
    text = render()
    for f in COMMON_FIELDS:
        assert f"| {f.label} | `{f.key}` |" in text
    for g in GROUPS:
        assert f"{g.label}（`{g.key}`）" in text
        for d in g.datasets:
            assert f"（`{g.key}.{d.key}`）" in text
            for f in d.fields:
                assert f"| {f.label} | `{f.key}` |" in text
                assert f"`{f.source}`" in text
                assert f.meaning.replace("|", "\\|") in text
        for item in g.uncovered:
            assert f"- {item}" in text


def test_the_command_writes_the_file_or_prints_it(tmp_path):
    out = io.StringIO()
    call_command("anbiao_cityplatform_docs", "--print", stdout=out)
    assert out.getvalue() == render()
    target = tmp_path / "city-platform.md"
    call_command("anbiao_cityplatform_docs", "--output", str(target), stdout=io.StringIO())
    assert target.read_text(encoding="utf-8") == render()
