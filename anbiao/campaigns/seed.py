"""The 2025 campaign of the notice 惠供联〔2025〕7号 (四、实施步骤; 五(四) 报送), as data.

Used by the data migration and by the demo (which may run after a flush). Idempotent. A 2026 campaign is
created from the setup page (copying this one with the dates moved by a year), not from code.
"""

from __future__ import annotations

import datetime

D = datetime.date

CAMPAIGN_2025 = {
    "year": 2025,
    "name": "落实企业全员责任制拓展标准化提升专项行动2025年持续深化",
    "document_no": "惠供联〔2025〕7号",
    "starts_on": D(2025, 1, 26),
    "ends_on": D(2025, 12, 31),
    # 告知书: "…日前完成一次安全生产标准化提升年度自评工作"; the notice leaves the date to the unit.
    "letter_deadline": D(2025, 3, 31),
}

PHASES_2025 = [
    (
        1,
        "动员部署",
        D(2025, 2, 10),
        "制定本单位2025年持续深化方案；摸清企业底数；逐家送达告知书（附件1）、签订承诺书（附件2）；"
        "方案（加盖公章的纸质版、电子版）报县社基层股备案。",
    ),
    (
        2,
        "自评自纠",
        D(2025, 3, 31),
        "以“回头看”方式评估2021年8月以来工作，建立持续改进清单，形成评估报告，"
        "3月25日前经主要负责人审核签字加盖公章上报；开展一次标准化管理体系运行情况自评，形成正式自评报告。",
    ),
    (
        3,
        "督导帮扶",
        D(2025, 9, 30),
        "成立专项督导帮扶队伍，深入重点区域、重点企业督导帮扶，运用“33456”工作法。",
    ),
    (4, "执法推动", D(2025, 11, 30), "配合执法部门监督检查，严查重大事故隐患，曝光典型执法案例。"),
    (5, "总结完善", D(2025, 12, 31), "全面总结，提炼典型经验做法，固化长效机制。"),
]

# (order, phase order or None, title, due, needs_scan, needs_editable, description)
REQUIREMENTS_2025 = [
    (1, 1, "本单位持续深化方案备案", D(2025, 2, 10), True, True, "加盖公章的纸质版（扫描件）和电子版"),
    (
        2,
        2,
        "“回头看”评估报告及持续改进清单",
        D(2025, 3, 25),
        True,
        True,
        "经主要负责人审核签字并加盖公章",
    ),
    (3, 2, "标准化管理体系运行情况自评报告", D(2025, 3, 31), True, True, "正式自评报告文件"),
    (4, None, "2025年第一季度工作总结及季报表", D(2025, 4, 1), True, True, "下一个季度首月1日前报送"),
    (5, None, "2025年第二季度工作总结及季报表", D(2025, 7, 1), True, True, "下一个季度首月1日前报送"),
    (6, None, "2025年第三季度工作总结及季报表", D(2025, 10, 1), True, True, "下一个季度首月1日前报送"),
    (7, None, "2025年第四季度工作总结及季报表", D(2026, 1, 1), True, True, "下一个季度首月1日前报送"),
    (8, 5, "2025年度工作总结及有关报表", D(2026, 1, 5), True, True, "2026年1月5日前报送县社基层股"),
]


def seed_2025(Campaign, Phase, Requirement):
    """Create the 2025 campaign (organised for the whole system) unless it exists."""
    campaign = Campaign.objects.filter(year=2025, name=CAMPAIGN_2025["name"]).first()
    if campaign is not None:
        return campaign
    campaign = Campaign.objects.create(organization=None, **CAMPAIGN_2025)
    phases = {}
    for order, name, deadline, description in PHASES_2025:
        phases[order] = Phase.objects.create(
            campaign=campaign, order=order, name=name, deadline=deadline, description=description
        )
    for order, phase, title, due, scan, editable, description in REQUIREMENTS_2025:
        Requirement.objects.create(
            campaign=campaign,
            phase=phases.get(phase),
            order=order,
            title=title,
            due=due,
            needs_scan=scan,
            needs_editable=editable,
            description=description,
        )
    return campaign


def ensure_2025():
    """The 2025 campaign for the current database (after a flush, the demo and tests call this)."""
    from anbiao.campaigns.models import Campaign, Phase, Requirement

    return seed_2025(Campaign, Phase, Requirement)
