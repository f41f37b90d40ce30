"""The enterprise page gathers the enterprise's records from every module (its 安全档案)."""

from django.urls import reverse

from anbiao.hazards.tests import factories


def test_the_enterprise_page_links_each_modules_records_for_a_unit_admin(world, login):
    factories.hazard(world, world.ent_a)
    page = login(world.admin_a).get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk]))
    links = {label: (url, note) for label, url, note in page.context["safety_file"]}
    assert links["隐患清单 / 整改清单"][0] == f"{reverse('hazards:hazard_list')}?enterprise={world.ent_a.pk}"
    assert "未销号 1 条" in links["隐患清单 / 整改清单"][1]
    for label in [
        "检查记录",
        "风险分级管控（一图一卡一报告）",
        "企业四色等级",
        "全员安全生产责任制",
        "安全生产标准化",
        "企业安全台账",
    ]:
        assert label in links, label
    assert 'data-testid="safety-file"' in page.content.decode()


def test_an_enterprise_user_sees_only_what_their_role_may_open(world, login):
    page = login(world.principal_a).get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk]))
    labels = {label for label, _url, _note in page.context["safety_file"]}
    assert "隐患清单 / 整改清单" in labels and "内部报告奖励机制" in labels
    assert "企业四色等级" not in labels  # the overall grade is the supervisors' view


def test_the_hazard_list_follows_the_enterprise_link(world, login):
    mine = factories.hazard(world, world.ent_a)
    other = factories.hazard(world, world.ent_a1)
    page = login(world.admin_a).get(f"{reverse('hazards:hazard_list')}?enterprise={world.ent_a.pk}")
    rows = list(page.context["object_list"])
    assert mine in rows and other not in rows
