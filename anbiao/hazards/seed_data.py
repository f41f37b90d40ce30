"""Seeded reference data of the hazard module (隐患排查治理).

Holds the 重大事故隐患判定标准 articles and the starter checklist library (安全检查清单 / 网格员检查导则).
Plain data: loaded by a migration, editable afterwards by the county administrator.

Verification status (see shared/docs/domain.md §3.4–3.5):
- 工贸 2023: 管理类 items 1–3 verified; the 14 专项类 items are recalled wording (``unverified``).
- 危化 2017: items 1, 2 and 12 follow the verified text; items 16 and 20 are recalled (``unverified``).
- 烟花爆竹 2017: items 1–8 are recalled (``unverified``); items 9–10 are unknown and left out.
- GB 35181-2017: two 直接判定要素 entries only, recalled (``unverified``); clause numbers not given.
Article labels follow domain.md where it numbers the item; otherwise they are descriptive, never guessed.
Checklist items cite laws and standards by name; an article number appears only where domain.md (or the
duty module's seed) already relies on it. GB/T 33000-2016 element numbers are those of domain.md §1.1.
"""

SOURCES: dict[str, str] = {
    "gm2023": (
        "《工贸企业重大事故隐患判定标准》（应急管理部令第10号，2023年5月15日起施行，代替2017年版）"
        "，http://xz.jiceng.zhengzhou.gov.cn/022003006/9234731.jhtml"
    ),
    "hc2017": (
        "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》（安监总管三〔2017〕121号）"
        "，第1–15项原文见 http://anzhuopai.com/szb/pc/col/202305/25/content_202393.html"
    ),
    "fw2017": (
        "《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》（安监总管三〔2017〕121号），共10项"
        "，https://www.aqrzj.com/doc/207495.html"
    ),
    "gb35181": "GB 35181-2017《重大火灾隐患判定方法》",
    "order16": (
        "《安全生产事故隐患排查治理暂行规定》（国家安全生产监督管理总局令第16号，2007年12月28日公布，"
        "2008年2月1日起施行），https://laweer.com/question/7ceb91d65f8a6.html"
    ),
    "law2021": "《中华人民共和国安全生产法》（2021年修正，2021年9月1日起施行）",
    "order13": "《工贸企业有限空间作业安全规定》（应急管理部令第13号，2023），https://weikao.com/zhenti/355909",
    "gbt33000": "GB/T 33000-2016《企业安全生产标准化基本规范》",
    "qzab2022": (
        "泉州市安委办《泉安办〔2022〕3号》（2022年1月7日，安全检查清单、隐患清单、整改清单），"
        "http://yjj.quanzhou.gov.cn/zwgk/zfxxgkml/ghjh/zxgh/202201/t20220113_2683696.htm"
    ),
    "order55": "《危险化学品经营许可证管理办法》（国家安全生产监督管理总局令第55号）",
    "order65": "《烟花爆竹经营许可实施办法》（国家安全生产监督管理总局令第65号）",
    "gb15603": "GB 15603-2022《危险化学品仓库储存通则》（2023年7月1日起施行）",
    "pesticide": "《农药管理条例》（2017年修订）；《农药经营许可管理办法》（农业部令2017年第5号）",
    "gb50156": "GB 50156《汽车加油加气加氢站技术标准》",
}

_GM = "工贸企业重大事故隐患判定标准（应急管理部令第10号，2023）"
_HC = "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）（安监总管三〔2017〕121号）"
_FW = "烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）（安监总管三〔2017〕121号）"
_FIRE = "重大火灾隐患判定方法（GB 35181-2017）"

_DUST = "专项类·粉尘爆炸"
_NH3 = "专项类·液氨制冷"
_CONFINED = "专项类·有限空间（硫化氢、一氧化碳等中毒风险）"
_HC_SECTOR = "危险化学品（经营、储存单位适用）"

CRITERIA: list[dict] = [
    # 工贸 2023 · 管理类 (第三条) — verified per domain.md §3.4.
    {
        "code": "GM2023-M1",
        "catalogue": _GM,
        "article": "第三条（一）",
        "sector": "管理类",
        "text": "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查。",
        "is_major": True,
        "unverified": False,
        "source": "gm2023",
    },
    {
        "code": "GM2023-M2",
        "catalogue": _GM,
        "article": "第三条（二）",
        "sector": "管理类",
        "text": "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业。",
        "is_major": True,
        "unverified": False,
        "source": "gm2023",
    },
    {
        "code": "GM2023-M3",
        "catalogue": _GM,
        "article": "第三条（三）",
        "sector": "管理类",
        "text": "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格。",
        "is_major": True,
        "unverified": False,
        "source": "gm2023",
    },
    # 工贸 2023 · 专项类 · 粉尘爆炸 (10) — recalled wording.
    {
        "code": "GM2023-D01",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（1）",
        "sector": _DUST,
        "text": (
            "粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内，或者粉尘爆炸危险场所内设有员工宿舍、"
            "会议室、办公室、休息室等人员聚集场所。"
        ),
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D02",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（2）",
        "sector": _DUST,
        "text": (
            "不同类别的可燃性粉尘、可燃性粉尘与可燃气体等易加剧爆炸危险的介质共用一套除尘系统，"
            "或者不同建（构）筑物、不同防火分区共用一套除尘系统、除尘系统互联互通。"
        ),
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D03",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（3）",
        "sector": _DUST,
        "text": "干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D04",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（4）",
        "sector": _DUST,
        "text": "铝镁等金属粉尘除尘系统采用正压吹送粉尘时，未采取可靠的防范点燃源的措施。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D05",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（5）",
        "sector": _DUST,
        "text": "除尘系统采用重力沉降室除尘，或者采用干式巷道式构筑物作为除尘风道。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D06",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（6）",
        "sector": _DUST,
        "text": "铝镁等金属粉尘、木质粉尘的干式除尘系统未设置锁气卸灰装置。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D07",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（7）",
        "sector": _DUST,
        "text": "除尘器、收尘仓等划分为20区的粉尘爆炸危险场所电气设备不符合防爆要求。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D08",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（8）",
        "sector": _DUST,
        "text": (
            "粉碎、研磨、造粒等易产生机械点燃源的工艺设备前，未设置铁、石等杂物去除装置，"
            "或者木制品加工企业与砂光机连接的风管未设置火花探测消除装置。"
        ),
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D09",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（9）",
        "sector": _DUST,
        "text": (
            "遇湿自燃金属粉尘收集、堆放、储存场所未采取通风等防止氢气积聚的措施，"
            "或者干式收集、堆放、储存场所未采取防水、防潮措施。"
        ),
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-D10",
        "catalogue": _GM,
        "article": "专项类·粉尘爆炸（10）",
        "sector": _DUST,
        "text": "未落实粉尘清理制度，造成作业现场积尘严重。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    # 工贸 2023 · 专项类 · 液氨制冷 (2) — recalled wording.
    {
        "code": "GM2023-A1",
        "catalogue": _GM,
        "article": "专项类·液氨制冷（1）",
        "sector": _NH3,
        "text": "包装、分割、产品整理场所的空调系统采用氨直接蒸发制冷。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-A2",
        "catalogue": _GM,
        "article": "专项类·液氨制冷（2）",
        "sector": _NH3,
        "text": "快速冻结装置未设置在单独的作业间内，或者快速冻结装置作业间内作业人员数量超过9人。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    # 工贸 2023 · 专项类 · 有限空间 (2) — recalled wording.
    {
        "code": "GM2023-C1",
        "catalogue": _GM,
        "article": "专项类·有限空间（1）",
        "sector": _CONFINED,
        "text": "未对有限空间进行辨识、建立安全管理台账，并且未设置明显的安全警示标志。",
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    {
        "code": "GM2023-C2",
        "catalogue": _GM,
        "article": "专项类·有限空间（2）",
        "sector": _CONFINED,
        "text": (
            "未落实有限空间作业审批，或者未执行“先通风、再检测、后作业”要求，或者作业现场未设置监护人员。"
        ),
        "is_major": True,
        "unverified": True,
        "source": "gm2023",
    },
    # 危化 2017 — the items that apply to 经营 / 储存-only units (domain.md §3.5).
    {
        "code": "HC2017-01",
        "catalogue": _HC,
        "article": "第一项",
        "sector": _HC_SECTOR,
        "text": "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。",
        "is_major": True,
        "unverified": False,
        "source": "hc2017",
    },
    {
        "code": "HC2017-02",
        "catalogue": _HC,
        "article": "第二项",
        "sector": _HC_SECTOR,
        "text": "特种作业人员未持证上岗。",
        "is_major": True,
        "unverified": False,
        "source": "hc2017",
    },
    {
        "code": "HC2017-12",
        "catalogue": _HC,
        "article": "第十二项",
        "sector": _HC_SECTOR,
        "text": (
            "涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，"
            "爆炸危险场所未按国家标准安装使用防爆电气设备。"
        ),
        "is_major": True,
        "unverified": False,
        "source": "hc2017",
    },
    {
        "code": "HC2017-16",
        "catalogue": _HC,
        "article": "第十六项",
        "sector": _HC_SECTOR,
        "text": "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度。",
        "is_major": True,
        "unverified": True,
        "source": "hc2017",
    },
    {
        "code": "HC2017-20",
        "catalogue": _HC,
        "article": "第二十项",
        "sector": _HC_SECTOR,
        "text": ("未按国家标准分区分类储存危险化学品，超量、超品种储存危险化学品，相互禁配物质混放混存。"),
        "is_major": True,
        "unverified": True,
        "source": "hc2017",
    },
    # 烟花爆竹 2017 — items 1–8 as recalled (9–10 unknown).
    {
        "code": "FW2017-01",
        "catalogue": _FW,
        "article": "第一项",
        "sector": "烟花爆竹",
        "text": "主要负责人、安全生产管理人员未依法经考核合格。",
        "is_major": True,
        "unverified": True,
        "source": "fw2017",
    },
    {
        "code": "FW2017-02",
        "catalogue": _FW,
        "article": "第二项",
        "sector": "烟花爆竹",
        "text": "特种作业人员未持证上岗，作业人员带药检维修设备设施。",
        "is_major": True,
        "unverified": True,
        "source": "fw2017",
    },
    {
        "code": "FW2017-03",
        "catalogue": _FW,
        "article": "第三项",
        "sector": "烟花爆竹",
        "text": "职工自行携带工器具、机器设备进厂进行涉药作业。",
        "is_major": True,
        "unverified": True,
        "source": "fw2017",
    },
    {
        "code": "FW2017-04",
        "catalogue": _FW,
        "article": "第四项",
        "sector": "烟花爆竹",
        "text": "工（库）房实际作业人员数量超过核定人数。",
        "is_major": True,
        "unverified": True,
        "source": "fw2017",
    },
    {
        "code": "FW2017-05",
        "catalogue": _FW,
        "article": "第五项",
        "sector": "烟花爆竹",
        "text": "工（库）房实际滞留、存储药量超过核定药量。",
        "is_major": True,
        "unverified": True,
        "source": "fw2017",
    },
    {
        "code": "FW2017-06",
        "catalogue": _FW,
        "article": "第六项",
        "sector": "烟花爆竹",
        "text": "工（库）房内、外部安全距离不足，防护屏障缺失或者不符合要求。",
        "is_major": True,
        "unverified": True,
        "source": "fw2017",
    },
    {
        "code": "FW2017-07",
        "catalogue": _FW,
        "article": "第七项",
        "sector": "烟花爆竹",
        "text": "防静电、防火、防雷设备设施缺失或者失效。",
        "is_major": True,
        "unverified": True,
        "source": "fw2017",
    },
    {
        "code": "FW2017-08",
        "catalogue": _FW,
        "article": "第八项",
        "sector": "烟花爆竹",
        "text": "擅自改变工（库）房设计用途。",
        "is_major": True,
        "unverified": True,
        "source": "fw2017",
    },
    # GB 35181-2017 — two general 直接判定要素 only; clause numbers not given on purpose.
    {
        "code": "GB35181-D1",
        "catalogue": _FIRE,
        "article": "直接判定要素·易燃易爆危险品与人员密集场所、住宿混设（条号待核对）",
        "sector": "消防",
        "text": "甲、乙类厂房与人员密集场所或住宅、宿舍混合设置在同一建筑内。",
        "is_major": True,
        "unverified": True,
        "source": "gb35181",
    },
    {
        "code": "GB35181-D2",
        "catalogue": _FIRE,
        "article": "直接判定要素·人员密集场所易燃易爆危险品（条号待核对）",
        "sector": "消防",
        "text": "在人员密集场所违反消防安全规定使用、储存或销售易燃易爆危险品。",
        "is_major": True,
        "unverified": True,
        "source": "gb35181",
    },
]


def _item(category, content, method, basis, criterion=None, element=""):
    return {
        "category": category,
        "content": content,
        "method": method,
        "basis": basis,
        "criterion": criterion,
        "element": element,
    }


_LAW = "《安全生产法》"
_FIRE_LAW = "《消防法》"
_EXT = "GB 50140《建筑灭火器配置设计规范》、GB 50444《建筑灭火器配置验收及检查规范》"
_SIGN = "GB 2894《安全标志及其使用导则》"
_GM_BASIS = "《工贸企业重大事故隐患判定标准》"
_HC_BASIS = "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
_FW_BASIS = "《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》"
_FW_LAW = "《烟花爆竹安全管理条例》、《烟花爆竹经营许可实施办法》"
_PLAN = "《生产安全事故应急预案管理办法》"

TEMPLATES: list[dict] = [
    {
        "key": "general_trade",
        "kind": "checklist",
        "name": "商贸及仓储企业通用安全检查清单",
        "description": (
            "适用于供销社系统各类商贸、仓储企业及出租经营网点的日常自查和上级检查。"
            "各企业应在本清单基础上结合自身场所、设备和作业增补检查项，不涉及的项目标注“不涉及”。"
        ),
        "industries": [],
        "items": [
            _item(
                "management",
                "建立全员安全生产责任制，每个岗位的责任人员、责任范围和考核标准明确，并在公示栏或岗位公示",
                "查资料、现场查看公示",
                f"{_LAW}第二十二条",
                element="5.1.2",
            ),
            _item(
                "management",
                "按规定设置安全生产管理机构或配备专（兼）职安全生产管理人员，有正式任命文件",
                "查资料（任命文件、人员名单）",
                f"{_LAW}第二十四条",
                element="5.1.2",
            ),
            _item(
                "management",
                "主要负责人和安全生产管理人员按规定参加安全培训；危险物品经营、储存单位的主要负责人和"
                "安全生产管理人员经考核合格",
                "查培训证明、考核合格证",
                _LAW,
                element="5.3.2",
            ),
            _item(
                "management",
                "新入职、转岗、临时聘用人员经安全教育培训合格后上岗，培训记录有时间、内容、签到和考核结果",
                "查培训档案，抽查2至3名员工记录",
                _LAW,
                element="5.3.2",
            ),
            _item(
                "management",
                "场所、设备对外出租或发包的，与承租、承包单位签订专门的安全生产管理协议（或在合同中约定各自"
                "安全职责），建立承租户名册，统一协调管理并定期开展安全检查，发现问题督促整改",
                "查协议、名册、检查记录，抽查1至2户承租户",
                f"{_LAW}第四十九条；{_GM_BASIS}第三条（一）",
                criterion="GM2023-M1",
                element="5.4.2",
            ),
            _item(
                "management",
                "建立隐患排查治理制度，检查清单、隐患清单、整改清单齐全，隐患按“五定”整改、验收销号，"
                "重大隐患按规定报告",
                "查制度和台账，抽查3条隐患的闭环记录",
                f"{_LAW}第四十一条；《安全生产事故隐患排查治理暂行规定》",
                element="5.5.3",
            ),
            _item(
                "management",
                "建立事故隐患内部报告奖励制度，员工报告隐患有登记、核实和奖励兑现记录",
                "查制度、报告登记和兑现记录",
                "《安全生产事故隐患排查治理暂行规定》",
                element="5.5.3",
            ),
            _item(
                "management",
                "编制生产安全事故应急预案（或现场处置方案、岗位应急处置卡）并发布，按计划组织演练，"
                "演练有记录和评估",
                "查预案、演练记录和照片",
                _PLAN,
                element="5.6.1",
            ),
            _item(
                "management",
                "按规定对特种设备（叉车、电梯、货梯等）办理使用登记，定期检验合格并在检验有效期内",
                "查使用登记证、检验报告，现场核对检验标志",
                "《特种设备安全法》",
                element="5.4.1",
            ),
            _item(
                "behaviour",
                "电工、焊接与热切割作业人员持有效特种作业操作证，叉车司机持有效特种设备作业人员证，人证相符",
                "查证件原件或复印件台账，现场核对作业人员",
                f"{_LAW}；{_GM_BASIS}第三条（二）",
                criterion="GM2023-M2",
                element="5.3.2",
            ),
            _item(
                "equipment",
                "灭火器按场所配置，在有效期内、压力指针在绿区、铅封完好，设置点位明显无遮挡，有月度检查记录",
                "现场查看，抽查不少于5具",
                _EXT,
                element="5.4.1",
            ),
            _item(
                "equipment",
                "室内消火栓、火灾自动报警、自动喷水灭火等消防设施完好有效，未被圈占、遮挡，有维护保养记录",
                "现场查看，查维保记录",
                _FIRE_LAW,
                element="5.4.1",
            ),
            _item(
                "equipment",
                "配电箱（柜）门完好、有标识，箱内无杂物积尘，箱前无堆物，漏电保护装置动作可靠",
                "现场查看，按试验按钮抽查",
                "用电安全有关国家标准",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "货架安装牢固，标明限载重量，立柱、横梁无变形、锈蚀，货物不超载、不超出货架边缘",
                "现场查看",
                "仓储安全管理有关标准",
                element="5.4.1",
            ),
            _item(
                "site",
                "疏散通道、安全出口畅通，未锁闭、堵塞、占用，疏散指示标志和应急照明完好",
                "现场查看，测试应急照明",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "site",
                "电动自行车及其电池不在门厅、疏散通道、楼梯间、安全出口和室内停放或充电，集中充电点设置规范",
                "现场查看",
                f"{_FIRE_LAW}及电动自行车消防安全管理有关规定",
                element="5.4.2",
            ),
            _item(
                "site",
                "无私拉乱接电线、无多个插线板串接，电气线路穿管保护，库房内不使用电炉、电暖器等大功率电器",
                "现场查看",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "site",
                "库存物品分类分垛储存，堆垛“五距”（垛距、墙距、柱距、梁距、灯距）和主要通道宽度符合要求，"
                "灯具正下方不堆放可燃物",
                "现场查看，卷尺抽量",
                "《仓库防火安全管理规则》",
                element="5.4.2",
            ),
            _item(
                "site",
                "对污水池、化粪池、地窖、储罐等有限空间进行辨识并建立台账，入口设置明显的安全警示标志",
                "查有限空间台账，现场查看警示标志",
                f"《工贸企业有限空间作业安全规定》；{_GM_BASIS}专项类·有限空间（1）",
                criterion="GM2023-C1",
                element="5.5.1",
            ),
            _item(
                "site",
                "危险部位、重点岗位设置安全警示标志和安全风险告知牌，内容与实际风险相符",
                "现场查看",
                _SIGN,
                element="5.4.4",
            ),
            _item(
                "behaviour",
                "进入有限空间作业经审批，执行“先通风、再检测、后作业”，作业现场设专人监护；"
                "作业人员每年至少接受一次有限空间专项培训",
                "查作业审批单、检测记录、培训记录，询问作业人员",
                f"《工贸企业有限空间作业安全规定》；{_GM_BASIS}专项类·有限空间（2）",
                criterion="GM2023-C2",
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "按岗位配发劳动防护用品并有发放记录，作业人员正确佩戴（搬运穿防砸鞋、登高系安全带等）",
                "查发放记录，现场查看",
                _LAW,
                element="5.4.3",
            ),
            _item(
                "behaviour",
                "库房和营业场所内无吸烟、无违规使用明火；动火作业办理审批，清理周边可燃物，配备灭火器并有人监护",
                "现场查看，查动火审批记录",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "叉车作业不超载、不载人、不超速，货叉下和作业半径内无人员停留",
                "现场观察",
                "《特种设备安全法》",
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "抽问员工：知道本岗位火灾危险性，会报火警，会使用灭火器，会引导人员疏散逃生",
                "询问，抽查2至3名员工",
                _FIRE_LAW,
                element="5.3.2",
            ),
        ],
    },
    {
        "key": "agri_inputs",
        "kind": "checklist",
        "name": "农资（化肥、农药）经营安全检查清单",
        "description": (
            "适用于化肥、农药经营门店及其仓库。经营或储存列入《危险化学品目录》品种的，"
            "还应执行危险化学品经营储存的有关规定。"
        ),
        "industries": ["agri_inputs"],
        "items": [
            _item(
                "management",
                "持有效《农药经营许可证》，许可证载明的经营场所、仓储场所与实际一致，证照在店内明显位置公示",
                "查证照，现场核对地址",
                SOURCES["pesticide"],
            ),
            _item(
                "management",
                "经营、储存危险化学品（含列入《危险化学品目录》的农药、化肥）的，依法取得危险化学品经营许可，"
                "主要负责人和安全生产管理人员经考核合格",
                "查许可证、考核合格证",
                f"《危险化学品经营许可证管理办法》；{_HC_BASIS}第一项",
                criterion="HC2017-01",
                element="5.3.2",
            ),
            _item(
                "management",
                "建立农药采购台账和销售台账，如实记录名称、规格、数量、生产企业、供货人或购买人、日期等，"
                "台账保存2年以上",
                "查台账，抽查近一个月记录",
                "《农药管理条例》",
                element="5.2.4",
            ),
            _item(
                "management",
                "经营限制使用农药的，取得相应经营范围，设专柜（专区）销售，实名购买并单独登记",
                "查许可范围、专柜和实名登记记录",
                SOURCES["pesticide"],
            ),
            _item(
                "management",
                "经营硝酸铵等易制爆化学品类化肥的，按易制爆危险化学品管理要求如实登记销售流向",
                "查购销登记记录",
                "《易制爆危险化学品治安管理办法》",
                element="5.2.4",
            ),
            _item(
                "management",
                "员工（含临时搬运工）接受农药、化肥特性、个人防护、泄漏和中毒处置培训，有培训记录",
                "查培训记录，询问1至2名员工",
                _LAW,
                element="5.3.2",
            ),
            _item(
                "management",
                "制定农药泄漏、中毒、火灾现场处置方案或应急处置卡并张贴，员工知道处置和报告程序",
                "查方案，现场查看张贴，询问员工",
                _PLAN,
                element="5.6.1",
            ),
            _item(
                "site",
                "营业场所、仓储场所与生活区、饮用水源有效隔离，农药不与食品、食用农产品、饲料、日用品混放混售",
                "现场查看",
                SOURCES["pesticide"],
                element="5.4.2",
            ),
            _item(
                "site",
                "危险化学品类农药、化肥按GB 15603分区、分类、分库储存，不超量、超品种储存，"
                "相互禁配物质（如硝酸铵等氧化剂与可燃物、还原剂、酸类）不混放混存",
                "现场查看，对照库存清单核对",
                f"GB 15603《危险化学品仓库储存通则》；{_HC_BASIS}第二十项",
                criterion="HC2017-20",
                element="5.4.2",
            ),
            _item(
                "site",
                "农药与化肥、种子分区存放，除草剂与其他农药分开存放，分区标识清楚",
                "现场查看",
                SOURCES["pesticide"],
                element="5.4.2",
            ),
            _item(
                "site",
                "仓库通风良好，门窗完好，货物下设垫板离地离墙，无雨水渗漏和阳光直射",
                "现场查看",
                "GB 15603《危险化学品仓库储存通则》",
                element="5.4.2",
            ),
            _item(
                "site",
                "堆垛整齐稳固、不超高，包装完好无破损、渗漏，破损包装及时收集处置",
                "现场查看",
                "GB 15603《危险化学品仓库储存通则》",
                element="5.4.2",
            ),
            _item(
                "site",
                "设置农药包装废弃物回收暂存点，回收的包装废弃物集中存放、有记录",
                "现场查看，查回收记录",
                "《农药包装废弃物回收处理管理办法》",
                element="5.4.2",
            ),
            _item(
                "equipment",
                "属危险化学品仓库的，有爆炸危险区域内电气设备符合防爆要求；库内电气线路穿管保护，"
                "不使用大功率电器",
                "现场查看铭牌和线路",
                f"{_HC_BASIS}第十二项",
                criterion="HC2017-12",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "店内和仓库按要求配置灭火器，在有效期内、压力正常，仓库门口设置“禁止烟火”等警示标志",
                "现场查看",
                f"{_EXT}；{_SIGN}",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "配备防毒口罩、橡胶手套、护目镜等防护用品和沙土、吸附棉等泄漏收集器材，配备清水和急救药箱",
                "现场查看",
                _LAW,
                element="5.6.1",
            ),
            _item(
                "behaviour",
                "不加工、分装农药，不销售包装破损、渗漏或标签缺失、字迹不清的农药",
                "现场查看，询问经营人员",
                "《农药管理条例》",
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "店内和仓库内无吸烟、无饮食、无住人，搬运、整理农药时佩戴手套和口罩",
                "现场观察",
                _LAW,
                element="5.4.3",
            ),
        ],
    },
    {
        "key": "fireworks",
        "kind": "checklist",
        "name": "烟花爆竹经营（零售/批发）安全检查清单",
        "description": (
            "适用于烟花爆竹零售点和批发企业（含仓库）。零售点重点查许可、限量、专店专柜和防火；"
            "批发企业另查库区安全距离、核定药量和人员、防雷防静电。"
        ),
        "industries": ["fireworks"],
        "items": [
            _item(
                "management",
                "持有效烟花爆竹经营（零售或批发）许可证，经营场所、储存场所、经营期限和限量与许可一致，证照张挂",
                "查证照，现场核对",
                _FW_LAW,
            ),
            _item(
                "management",
                "主要负责人、安全生产管理人员经安全培训并考核合格（零售经营者经安全知识培训）",
                "查考核合格证或培训证明",
                f"{_FW_LAW}；{_FW_BASIS}第一项",
                criterion="FW2017-01",
                element="5.3.2",
            ),
            _item(
                "management",
                "批发仓库保管员、守护员持有效特种作业操作证（烟花爆竹储存作业），人证相符",
                "查证件，现场核对",
                f"{_FW_BASIS}第二项",
                criterion="FW2017-02",
                element="5.3.2",
            ),
            _item(
                "management",
                "产品从持证批发企业购进，建立购销台账或流向登记，产品包装、标志完整",
                "查进货凭证、台账，抽查产品",
                _FW_LAW,
                element="5.2.4",
            ),
            _item(
                "management",
                "从业人员经烟花爆竹安全知识培训，掌握产品危险性、防火要求和初起火灾扑救方法",
                "查培训记录，询问1至2名人员",
                _FW_LAW,
                element="5.3.2",
            ),
            _item(
                "management",
                "制定火灾、爆炸应急预案或现场处置方案，按计划演练并有记录",
                "查预案、演练记录",
                _PLAN,
                element="5.6.1",
            ),
            _item(
                "site",
                "零售点专店或专柜经营，烟花爆竹不与其他商品混放，不销售专业燃放类产品和非法、超标产品",
                "现场查看，抽查产品",
                _FW_LAW,
                element="5.4.2",
            ),
            _item(
                "site",
                "零售点存放量不超过许可限量；批发仓库各库房实际存储药量不超过核定药量，按危险等级分库存放",
                "现场查看，对照库存台账核对",
                f"{_FW_LAW}；{_FW_BASIS}第五项",
                criterion="FW2017-05",
                element="5.4.2",
            ),
            _item(
                "site",
                "经营、储存场所内不住人，不与居住场所设置在同一建筑物内",
                "现场查看，询问",
                f"{_FIRE_LAW}；{_FW_LAW}",
                element="5.4.2",
            ),
            _item(
                "site",
                "批发仓库内、外部安全距离符合要求，防护屏障（防护土堤等）完好，周边无新建建筑占压安全距离",
                "现场查看，查设计和验收资料",
                f"{_FW_BASIS}第六项",
                criterion="FW2017-06",
                element="5.4.1",
            ),
            _item(
                "site",
                "库房未擅自改变设计用途，未改作住人、办公或存放其他物品",
                "现场查看，对照设计资料",
                f"{_FW_BASIS}第八项",
                criterion="FW2017-08",
                element="5.4.1",
            ),
            _item(
                "site",
                "场所醒目位置设置“禁止烟火”“严禁燃放”等警示标志，周边无明火作业",
                "现场查看",
                _SIGN,
                element="5.4.4",
            ),
            _item(
                "equipment",
                "批发仓库防雷装置完好并定期检测合格，库区入口设置人体静电释放装置并完好有效",
                "现场查看，查防雷检测报告",
                f"{_FW_BASIS}第七项",
                criterion="FW2017-07",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "按要求配置灭火器及消防水桶、沙箱等器材，在有效期内，摆放位置便于取用",
                "现场查看",
                _EXT,
                element="5.4.1",
            ),
            _item(
                "equipment",
                "经营、储存场所电气线路穿管保护，无私拉乱接；批发库房内电气设备符合防爆要求",
                "现场查看",
                _FW_LAW,
                element="5.4.1",
            ),
            _item(
                "behaviour",
                "进入库区人员不携带火种，进库前触摸静电释放装置，作业人员穿防静电工作服",
                "现场观察，询问",
                f"{_FW_BASIS}第七项",
                criterion="FW2017-07",
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "库房内同时作业人数不超过核定人数，搬运时轻拿轻放，不抛掷、拖拉、撞击",
                "现场观察",
                f"{_FW_BASIS}第四项",
                criterion="FW2017-04",
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "店内、库区无吸烟、无试放产品，营业结束后切断非必要电源",
                "现场观察，询问",
                _FIRE_LAW,
                element="5.4.2",
            ),
        ],
    },
    {
        "key": "fuel",
        "kind": "checklist",
        "name": "加油站安全检查清单",
        "description": (
            "适用于供销社系统所属或出租经营的加油站。设备设施按GB 50156及设计、验收资料核对，"
            "重点查防火防爆、卸油作业和应急处置。"
        ),
        "industries": ["fuel"],
        "items": [
            _item(
                "management",
                "持有效危险化学品经营许可证和成品油零售经营许可，经营品种、地址与许可一致",
                "查证照",
                "《危险化学品经营许可证管理办法》",
            ),
            _item(
                "management",
                "主要负责人和安全生产管理人员经考核合格，证书在有效期内",
                "查考核合格证",
                f"{_HC_BASIS}第一项",
                criterion="HC2017-01",
                element="5.3.2",
            ),
            _item(
                "management",
                "建立与岗位相匹配的全员安全生产责任制和隐患排查治理制度，并按制度开展排查、建立台账",
                "查制度、排查台账",
                f"{_LAW}；{_HC_BASIS}第十六项",
                criterion="HC2017-16",
                element="5.1.2",
            ),
            _item(
                "management",
                "电工等特种作业人员持有效特种作业操作证；加油员、卸油员经岗位安全培训合格后上岗",
                "查证件和培训记录",
                f"{_HC_BASIS}第二项",
                criterion="HC2017-02",
                element="5.3.2",
            ),
            _item(
                "management",
                "防雷、防静电接地装置按规定定期检测合格，检测报告在有效期内",
                "查检测报告",
                "防雷减灾管理有关规定",
                element="5.4.1",
            ),
            _item(
                "management",
                "制定油品泄漏、火灾事故应急预案和现场处置方案，按计划演练并有记录",
                "查预案、演练记录",
                _PLAN,
                element="5.6.1",
            ),
            _item(
                "equipment",
                "按标准设置的可燃气体检测报警装置、油罐渗漏检测装置完好有效，并定期校验",
                "现场查看，查校验记录",
                f"{SOURCES['gb50156']}；{_HC_BASIS}第十二项",
                criterion="HC2017-12",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "爆炸危险区域内加油机、潜油泵、照明灯具等电气设备为防爆型，防爆接线、密封完好",
                "现场查看铭牌和接线",
                f"{SOURCES['gb50156']}；{_HC_BASIS}第十二项",
                criterion="HC2017-12",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "卸油区静电接地装置完好，加油机紧急停机按钮有效，加油软管无老化、渗漏，拉断阀完好",
                "现场查看，抽查试验",
                SOURCES["gb50156"],
                element="5.4.1",
            ),
            _item(
                "equipment",
                "油罐人孔井无积水、无油迹，卸油口密闭、帽盖完好，通气管阻火器完好，管线无渗漏",
                "现场查看",
                SOURCES["gb50156"],
                element="5.4.1",
            ),
            _item(
                "equipment",
                "按GB 50156配置手提式和推车式灭火器、灭火毯、消防沙，在有效期内，摆放位置明显",
                "现场查看",
                f"{SOURCES['gb50156']}；{_EXT}",
                element="5.4.1",
            ),
            _item(
                "site",
                "站内醒目位置设置“严禁烟火”“禁止使用手机”“加油熄火”等警示标志，站区内无非防爆电器",
                "现场查看",
                _SIGN,
                element="5.4.4",
            ),
            _item(
                "site",
                "罐区、加油区无杂物和可燃物堆放，消防车道和站内通道畅通",
                "现场查看",
                SOURCES["gb50156"],
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "卸油时油罐车熄火、连接静电接地并静置后方可作业，全程专人监护；雷雨天气停止卸油",
                "现场观察或查卸油记录，询问卸油员",
                SOURCES["gb50156"],
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "加油时车辆熄火，劝阻顾客吸烟、使用手机；不向塑料桶等非金属容器加注汽油，散装汽油实名登记",
                "现场观察，查散装油销售登记",
                "成品油零售安全管理有关规定",
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "员工按规定穿着防静电工作服，会操作紧急停机按钮和使用灭火器、灭火毯",
                "现场观察，询问员工",
                _LAW,
                element="5.4.3",
            ),
        ],
    },
    {
        "key": "nine_small",
        "kind": "checklist",
        "name": "九小场所消防安全基本检查清单",
        "description": (
            "适用于小商店、小餐饮、小旅馆等“九小场所”及出租经营网点的消防安全基本检查。"
            "发现违规住人、堵塞疏散通道等问题应当场督促整改。"
        ),
        "industries": ["retail", "hospitality", "other"],
        "items": [
            _item(
                "management",
                "明确消防安全责任人和管理人，开展防火检查巡查并有记录",
                "查记录，询问负责人",
                _FIRE_LAW,
                element="5.1.2",
            ),
            _item(
                "management",
                "出租经营网点的，出租方与承租方签订安全管理协议明确消防安全责任，出租方定期检查并督促整改",
                "查协议和检查记录",
                f"{_LAW}第四十九条；{_GM_BASIS}第三条（一）",
                criterion="GM2023-M1",
                element="5.4.2",
            ),
            _item(
                "management",
                "员工经消防安全培训，会报火警、会使用灭火器、会引导顾客疏散",
                "询问，抽查1至2名员工",
                _FIRE_LAW,
                element="5.3.2",
            ),
            _item(
                "site",
                "经营、储存区域内不住人；确需在同一建筑内住宿的，住宿部分与经营储存部分采用不燃实体墙分隔，"
                "并设独立的疏散通道",
                "现场查看，询问",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "site",
                "场所内不违规储存、销售液化石油气、汽油、烟花爆竹等易燃易爆危险品",
                "现场查看",
                f"{_FIRE_LAW}；GB 35181《重大火灾隐患判定方法》",
                criterion="GB35181-D2",
                element="5.4.2",
            ),
            _item(
                "site",
                "疏散通道、安全出口畅通，营业期间不锁闭；门窗未设置影响逃生和灭火救援的防盗网、广告牌等障碍物",
                "现场查看",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "site",
                "电动自行车及其电池不在店内、门厅、楼梯间、疏散通道停放或充电",
                "现场查看",
                f"{_FIRE_LAW}及电动自行车消防安全管理有关规定",
                element="5.4.2",
            ),
            _item(
                "site",
                "厨房排油烟罩、烟道定期清洗，无明显油垢，灶台周边无可燃物堆放",
                "现场查看，查清洗记录",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "equipment",
                "按面积配置灭火器，在有效期内、压力正常，放置在明显、便于取用的位置",
                "现场查看",
                _EXT,
                element="5.4.1",
            ),
            _item(
                "equipment",
                "应急照明灯和疏散指示标志完好，断电后能正常点亮",
                "现场查看，测试",
                _FIRE_LAW,
                element="5.4.1",
            ),
            _item(
                "equipment",
                "电气线路穿管保护，无私拉乱接、老化破损，无多个插线板串接，配电箱装有漏电保护装置",
                "现场查看",
                "用电安全有关国家标准",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "使用燃气的，燃气软管无老化、龟裂且连接牢固，按规定安装燃气泄漏报警装置，钢瓶不在地下室存放使用",
                "现场查看",
                "城镇燃气安全管理有关规定",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "住宿场所客房、走道安装独立式感烟火灾探测报警器并能正常报警",
                "现场查看，按测试按钮抽查",
                _FIRE_LAW,
                element="5.4.1",
            ),
            _item(
                "behaviour",
                "场所内无吸烟乱扔烟头，不使用明火照明、取暖，不使用电炉等大功率电器",
                "现场观察",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "营业结束后进行防火巡查，切断非必要电源、关闭燃气阀门",
                "询问，查巡查记录",
                _FIRE_LAW,
                element="5.4.2",
            ),
        ],
    },
    {
        "key": "cold_storage",
        "kind": "checklist",
        "name": "冷库（含液氨制冷）专项检查清单",
        "description": (
            "适用于冷库、冷链仓储和农产品加工企业的制冷系统及冷间。"
            "使用氟利昂等非氨制冷剂的冷库，涉氨检查项标注“不涉及”。"
        ),
        "industries": ["logistics", "agri_processing"],
        "items": [
            _item(
                "management",
                "制冷与空调作业人员持有效特种作业操作证，叉车司机持有效特种设备作业人员证",
                "查证件，现场核对",
                f"{_LAW}；{_GM_BASIS}第三条（二）",
                criterion="GM2023-M2",
                element="5.3.2",
            ),
            _item(
                "management",
                "贮氨器等压力容器、压力管道按规定定期检验，安全阀、压力表定期校验并在有效期内",
                "查检验报告、校验记录，现场查看标签",
                "《特种设备安全法》",
                element="5.4.1",
            ),
            _item(
                "management",
                "按GB 18218辨识液氨储量是否构成重大危险源（氨临界量10吨），构成的已登记备案并落实管控措施",
                "查液氨储量台账、辨识记录",
                "GB 18218《危险化学品重大危险源辨识》",
                element="5.5.2",
            ),
            _item(
                "management",
                "制定氨泄漏专项应急预案和现场处置方案，按计划演练，员工掌握报警、撤离和处置程序",
                "查预案、演练记录，询问员工",
                _PLAN,
                element="5.6.1",
            ),
            _item(
                "site",
                "包装、分割、产品整理场所的空调系统未采用氨直接蒸发制冷",
                "现场查看，查制冷系统图",
                f"{_GM_BASIS}专项类·液氨制冷（1）",
                criterion="GM2023-A1",
                element="5.4.1",
            ),
            _item(
                "site",
                "快速冻结装置设置在单独的作业间内，作业间内同时作业人数不超过9人",
                "现场查看，清点人数",
                f"{_GM_BASIS}专项类·液氨制冷（2）",
                criterion="GM2023-A2",
                element="5.4.2",
            ),
            _item(
                "site",
                "氨制冷机房、设备间门口设置警示标志，制冷管道标明介质和流向，主要阀门挂牌标识",
                "现场查看",
                _SIGN,
                element="5.4.4",
            ),
            _item(
                "site",
                "冷库配套的污水池、集水井等有限空间已辨识登记，入口设置明显的安全警示标志",
                "查台账，现场查看",
                f"{_GM_BASIS}专项类·有限空间（1）",
                criterion="GM2023-C1",
                element="5.5.1",
            ),
            _item(
                "equipment",
                "氨制冷机房和涉氨场所设置氨气浓度报警装置，与事故排风机联锁，定期测试有效",
                "现场查看，查测试记录",
                "GB 50072《冷库设计标准》",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "氨制冷机房事故排风机为防爆型，控制开关设在机房门外便于操作的位置",
                "现场查看",
                "GB 50072《冷库设计标准》",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "冷间门内侧设有应急开门装置，库内设置求救报警按钮，测试有效",
                "现场查看，测试",
                "GB 50072《冷库设计标准》",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "配备正压式空气呼吸器、防毒面具、防化服、洗眼器或冲淋装置，完好并在有效期内",
                "现场查看，查检查记录",
                _LAW,
                element="5.6.1",
            ),
            _item(
                "equipment",
                "库内电气线路穿管保护、无破损，照明灯具为防潮型且完好",
                "现场查看",
                "GB 50072《冷库设计标准》",
                element="5.4.1",
            ),
            _item(
                "behaviour",
                "冷库内及保温材料附近动火作业办理审批，清除可燃保温材料或采取隔离措施，配备灭火器并有人监护",
                "查动火审批单，现场查看",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "人员进入冷间作业时库外有人知晓，锁库前确认库内无人",
                "现场观察，询问",
                _LAW,
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "进入冷间作业人员穿戴防寒服、防滑鞋和手套",
                "现场观察，查防护用品发放记录",
                _LAW,
                element="5.4.3",
            ),
        ],
    },
    {
        "key": "grid_guide",
        "kind": "grid_guide",
        "name": "网格员安全巡查检查导则",
        "description": (
            "供基层网格员短时巡查使用，只查一眼能看清、一问能问明的事项。"
            "发现问题拍照登记，督促当场整改；不能当场整改的报基层社跟踪整改。"
        ),
        "industries": [],
        "items": [
            _item(
                "management",
                "营业执照及行业许可证（危险化学品、烟花爆竹、农药经营许可等）在有效期内，经营项目与证照一致",
                "查看证照",
                "行业许可有关规定",
            ),
            _item(
                "management",
                "出租经营网点的承租户与出租方签订了安全管理协议，出租方有定期检查记录",
                "询问承租户，查看协议或检查记录",
                f"{_LAW}第四十九条；{_GM_BASIS}第三条（一）",
                criterion="GM2023-M1",
                element="5.4.2",
            ),
            _item(
                "management",
                "上次检查发现的隐患已按整改清单整改到位",
                "对照整改清单逐条查看",
                "《安全生产事故隐患排查治理暂行规定》",
                element="5.5.3",
            ),
            _item(
                "site",
                "疏散通道、安全出口畅通，未锁闭、堵塞",
                "现场查看",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "site",
                "经营、储存场所内不住人，无“三合一”现象",
                "现场查看，询问",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "site",
                "无违规存放液化石油气钢瓶、汽油、烟花爆竹等易燃易爆危险品；农药、危险化学品专区存放",
                "现场查看",
                f"{_FIRE_LAW}；GB 35181《重大火灾隐患判定方法》",
                criterion="GB35181-D2",
                element="5.4.2",
            ),
            _item(
                "site",
                "危险部位设置“禁止烟火”等安全警示标志，污水池、地窖等有限空间入口有警示标志",
                "现场查看",
                f"{_SIGN}；{_GM_BASIS}专项类·有限空间（1）",
                criterion="GM2023-C1",
                element="5.4.4",
            ),
            _item(
                "equipment",
                "灭火器配置到位，压力指针在绿区、在有效期内，未被遮挡",
                "现场查看",
                _EXT,
                element="5.4.1",
            ),
            _item(
                "equipment",
                "电气线路无私拉乱接、无老化破损，插线板不串接，配电箱门完好",
                "现场查看",
                "用电安全有关国家标准",
                element="5.4.1",
            ),
            _item(
                "equipment",
                "应急照明灯和疏散指示标志完好",
                "现场查看",
                _FIRE_LAW,
                element="5.4.1",
            ),
            _item(
                "behaviour",
                "电动自行车及其电池不在室内、楼道、门厅停放或充电",
                "现场查看",
                f"{_FIRE_LAW}及电动自行车消防安全管理有关规定",
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "场所内无吸烟、无违规动火和使用明火",
                "现场观察",
                _FIRE_LAW,
                element="5.4.2",
            ),
            _item(
                "behaviour",
                "负责人能说出本场所安全负责人，会报火警、会使用灭火器",
                "询问",
                _FIRE_LAW,
                element="5.3.2",
            ),
        ],
    },
]
