"""The field catalogue of the 泉州 platform export: what the city platform collects, and from where.

The notice (惠供联〔2025〕7号 三(四)) asks every unit to enter into 泉州市安全生产标准化智慧管理平台
the enterprises' 生产经营基本信息 and 全员责任制、制度化管理、教育培训、设备设施、现场管理、
安全风险管控（含风险点类别、等级、管控措施）及隐患排查治理、应急管理、事故管理、持续改进.
The platform's own forms and API are not public, so this catalogue groups the records Anbiao already keeps
under those eleven headings. It is declarative: a group has datasets (one kind of record each, one row per
record), a dataset has fields. ``docs/city-platform.md`` is generated from it
(``manage.py anbiao_cityplatform_docs``); the row builders (``rows.py``), the selectors, the xlsx and the
JSON follow it.

Keys are stable (they are the JSON keys); labels are the Chinese column headers. ``source`` names the model
field (``app.Model.field``, following foreign keys with dots) or the model whose rows are counted
(``app.Model``); a test resolves every one of them.

Where GB/T 33000-2016 names a part of a group that no Anbiao record holds, the group lists it in
``uncovered`` and the export says so instead of inventing data.
"""

from __future__ import annotations

from dataclasses import dataclass

KIND_LABELS = {
    "text": "文本",
    "longtext": "长文本",
    "date": "日期",
    "datetime": "时间",
    "int": "整数",
    "decimal": "数值",
    "bool": "是/否",
    "list": "多值",
}
KINDS = tuple(KIND_LABELS)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    source: str
    meaning: str
    kind: str = "text"


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    source: str  # the model one row stands for
    meaning: str  # which records, as of when
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    meaning: str
    datasets: tuple[Dataset, ...] = ()
    uncovered: tuple[str, ...] = ()  # parts of the group no record in the system holds yet
    no_source: str = "本组在系统中暂无数据来源，导出时不填写任何数据。"

    @property
    def has_source(self) -> bool:
        return bool(self.datasets)


def F(key: str, label: str, source: str, meaning: str, kind: str = "text") -> Field:
    return Field(key, label, source, meaning, kind)


# Every row of every dataset starts with the enterprise it belongs to.
COMMON_FIELDS = (
    F("enterprise_name", "企业名称", "orgs.Enterprise.name", "记录所属企业的名称。"),
    F("enterprise_uscc", "统一社会信用代码", "orgs.Enterprise.uscc", "记录所属企业的18位统一社会信用代码。"),
)

_STATE = "导出日当天的企业状态历史（orgs.EnterpriseState）"

BASIC_INFO = Group(
    "basic_info",
    "基本信息",
    "生产经营基本信息：企业名录和导出日当天的企业状态（监管单位、规模、从业人员、经营状态）。",
    (
        Dataset(
            "enterprises",
            "企业基本信息",
            "orgs.Enterprise",
            "导出范围内的每家企业一行（按单位导出时不含已注销企业）。规模、从业人员数、经营状态、"
            "危险物品和监管单位取" + _STATE + "。",
            (
                F("unit", "监管单位", "orgs.EnterpriseState.unit.name", f"{_STATE}中的监管单位。"),
                F(
                    "legal_representative",
                    "法定代表人",
                    "orgs.Enterprise.legal_representative",
                    "营业执照上的法定代表人。",
                ),
                F(
                    "principal_name",
                    "主要负责人",
                    "orgs.Enterprise.principal_name",
                    "企业安全生产第一责任人。",
                ),
                F(
                    "principal_phone",
                    "主要负责人电话",
                    "orgs.Enterprise.principal_phone",
                    "主要负责人的联系电话。",
                ),
                F(
                    "safety_officer_name",
                    "安全管理员",
                    "orgs.Enterprise.safety_officer_name",
                    "企业名录登记的安全管理员。",
                ),
                F(
                    "safety_officer_phone",
                    "安全管理员电话",
                    "orgs.Enterprise.safety_officer_phone",
                    "安全管理员的联系电话。",
                ),
                F("address", "经营地址", "orgs.Enterprise.address", "生产经营场所地址。"),
                F(
                    "township",
                    "乡镇（街道）",
                    "orgs.Enterprise.township.name",
                    "经营场所所在乡镇、街道或园区。",
                ),
                F("longitude", "经度", "orgs.Enterprise.longitude", "经营场所经度（十进制度）。", "decimal"),
                F("latitude", "纬度", "orgs.Enterprise.latitude", "经营场所纬度（十进制度）。", "decimal"),
                F("industry", "行业", "orgs.Enterprise.industry.name", "企业所属行业。"),
                F(
                    "size_class",
                    "企业规模",
                    "orgs.EnterpriseState.size_class",
                    f"规上企业/中等企业/小微企业，取{_STATE}。",
                ),
                F(
                    "employee_count",
                    "从业人员数",
                    "orgs.EnterpriseState.employee_count",
                    f"从业人员人数，取{_STATE}。",
                    "int",
                ),
                F(
                    "handles_dangerous_goods",
                    "危险物品生产经营储存",
                    "orgs.EnterpriseState.handles_dangerous_goods",
                    f"是否生产、经营、储存危险物品，取{_STATE}。",
                    "bool",
                ),
                F("status", "经营状态", "orgs.EnterpriseState.status", f"在营/停业/注销，取{_STATE}。"),
                F(
                    "state_since",
                    "状态起始日期",
                    "orgs.EnterpriseState.valid_from",
                    "上述状态自哪一天起有效。",
                    "date",
                ),
                F("tag_new", "新办企业", "orgs.Enterprise.tag_new", "“四类市场主体”标签：新办企业。", "bool"),
                F(
                    "tag_trade",
                    "商贸企业",
                    "orgs.Enterprise.tag_trade",
                    "“四类市场主体”标签：商贸企业。",
                    "bool",
                ),
                F(
                    "tag_micro",
                    "小微企业",
                    "orgs.Enterprise.tag_micro",
                    "“四类市场主体”标签：小微企业。",
                    "bool",
                ),
                F(
                    "nine_small_kind",
                    "九小场所类别",
                    "orgs.Enterprise.nine_small_kind",
                    "属于“九小场所”时的类别，否则为空。",
                ),
                F(
                    "is_rental_outlet",
                    "出租经营网点",
                    "orgs.Enterprise.is_rental_outlet",
                    "是否为供销社出租的经营网点。",
                    "bool",
                ),
                F(
                    "landlord_unit",
                    "出租单位",
                    "orgs.Enterprise.landlord_unit.name",
                    "出租经营网点的出租单位。",
                ),
                F(
                    "registered_on",
                    "纳入名录日期",
                    "orgs.Enterprise.registered_on",
                    "企业纳入本系统企业名录的日期。",
                    "date",
                ),
            ),
        ),
    ),
)

RESPONSIBILITY = Group(
    "responsibility",
    "全员责任制",
    "全员安全生产责任制（GB/T 33000-2016 5.1 目标职责）：岗位、任职人员和责任清单，"
    "安全生产管理机构和人员，年度考核。",
    (
        Dataset(
            "posts",
            "岗位与责任清单",
            "duty.Post",
            "导出日在设的岗位一行，带当天的任职人员和当天生效的责任清单、考核清单版本。",
            (
                F("department", "部门", "duty.Post.department.name", "岗位所在部门。"),
                F("post_name", "岗位名称", "duty.Post.name", "岗位名称。"),
                F(
                    "level",
                    "岗位层级",
                    "duty.Post.level",
                    "主要负责人/分管负责人/安全管理机构/部门负责人/班组长/岗位员工/相关方。",
                ),
                F("established_on", "设立日期", "duty.Post.established_on", "岗位设立日期。", "date"),
                F(
                    "holders",
                    "任职人员",
                    "duty.PostHolding.person.name",
                    "导出日在岗的任职人员姓名（多人以顿号分隔）。",
                    "list",
                ),
                F(
                    "list_version",
                    "责任清单版本",
                    "duty.DutyList.version",
                    "导出日生效的责任清单和考核清单版本号；无则为空。",
                    "int",
                ),
                F(
                    "list_effective_from",
                    "清单生效日期",
                    "duty.DutyList.effective_from",
                    "该版本清单的生效日期。",
                    "date",
                ),
                F("duty_item_count", "责任条目数", "duty.DutyItem", "该版本责任清单的责任条目数。", "int"),
                F(
                    "assess_item_count",
                    "考核条目数",
                    "duty.AssessItem",
                    "该版本考核清单的考核条目数。",
                    "int",
                ),
                F("published_on", "公示日期", "duty.DutyList.published_on", "清单公示日期。", "date"),
                F("published_place", "公示地点", "duty.DutyList.published_place", "清单公示地点。"),
                F(
                    "signature_count",
                    "签订责任书份数",
                    "duty.DutyListSignature",
                    "该版本清单已签订的责任书份数。",
                    "int",
                ),
            ),
        ),
        Dataset(
            "safety_bodies",
            "安全生产管理机构",
            "duty.SafetyBody",
            "导出日存续的安全生产管理机构。",
            (
                F("name", "机构名称", "duty.SafetyBody.name", "机构名称，如安全生产委员会。"),
                F("document", "设立文件", "duty.SafetyBody.document", "设立机构的文件文号或名称。"),
                F("established_on", "设立日期", "duty.SafetyBody.valid_from", "机构设立日期。", "date"),
            ),
        ),
        Dataset(
            "safety_officers",
            "安全生产管理人员",
            "duty.SafetyOfficer",
            "导出日在任的专职、兼职安全生产管理人员（安全生产法第24条）。",
            (
                F("person_name", "姓名", "duty.SafetyOfficer.person.name", "安全生产管理人员姓名。"),
                F("phone", "联系电话", "duty.SafetyOfficer.person.phone", "联系电话。"),
                F("employment", "专兼职", "duty.SafetyOfficer.employment", "专职或兼职。"),
                F(
                    "appointment_document",
                    "任命文件",
                    "duty.SafetyOfficer.appointment_document",
                    "任命文件文号或名称。",
                ),
                F("appointed_on", "任职日期", "duty.SafetyOfficer.valid_from", "本次任职起始日期。", "date"),
            ),
        ),
        Dataset(
            "annual_assessments",
            "全员责任制年度考核",
            "duty.AnnualAssessment",
            "企业每个考核年度一行，带考核得分的汇总。",
            (
                F("year", "考核年度", "duty.AnnualAssessment.year", "考核年度。", "int"),
                F("started_on", "开始日期", "duty.AnnualAssessment.started_on", "考核开始日期。", "date"),
                F(
                    "completed_on",
                    "完成日期",
                    "duty.AnnualAssessment.completed_on",
                    "考核完成日期；未完成为空。",
                    "date",
                ),
                F(
                    "scored_count",
                    "考核人数",
                    "duty.AssessmentScore",
                    "已记录得分的人次（人员×岗位）。",
                    "int",
                ),
                F("passed_count", "合格人数", "duty.AssessmentScore.passed", "考核结果为合格的人次。", "int"),
                F(
                    "reward_count",
                    "奖励人次",
                    "duty.AssessmentScore.outcome",
                    "奖惩决定为奖励的人次。",
                    "int",
                ),
                F(
                    "penalty_count",
                    "处罚人次",
                    "duty.AssessmentScore.outcome",
                    "奖惩决定为处罚的人次。",
                    "int",
                ),
                F(
                    "reward_amount",
                    "奖励金额（元）",
                    "duty.AssessmentScore.amount",
                    "奖励金额合计（元）。",
                    "decimal",
                ),
            ),
        ),
    ),
    uncovered=(
        "安全生产目标（GB/T 33000-2016 5.1.1）",
        "安全生产投入（5.1.4）",
        "安全文化建设（5.1.5）",
    ),
)

INSTITUTIONAL = Group(
    "institutional_management",
    "制度化管理",
    "制度化管理（GB/T 33000-2016 5.2）：法规标准识别、规章制度、操作规程，以及企业编制的“四项规范”。",
    (
        Dataset(
            "regulations",
            "法规标准识别",
            "ledgers.RegulationItem",
            "企业识别的适用法律法规和标准，每条一行（含已不适用的，见“现行适用”）。",
            (
                F(
                    "category",
                    "类别",
                    "ledgers.RegulationItem.category",
                    "法律/行政法规/部门规章/地方性法规和规章/标准/规范性文件/其他。",
                ),
                F("title", "名称", "ledgers.RegulationItem.title", "法规或标准名称。"),
                F("number", "文号或标准号", "ledgers.RegulationItem.number", "文号或标准号。"),
                F("issued_by", "发布机关", "ledgers.RegulationItem.issued_by", "发布机关。"),
                F("effective_on", "施行日期", "ledgers.RegulationItem.effective_on", "施行日期。", "date"),
                F(
                    "clauses",
                    "适用条款",
                    "ledgers.RegulationItem.clauses",
                    "对本企业适用的条款。",
                    "longtext",
                ),
                F(
                    "reviewed_on",
                    "识别（评审）日期",
                    "ledgers.RegulationItem.reviewed_on",
                    "识别或最近评审日期。",
                    "date",
                ),
                F(
                    "next_review_on",
                    "下次评审日期",
                    "ledgers.RegulationItem.next_review_on",
                    "计划的下次评审日期。",
                    "date",
                ),
                F("is_current", "现行适用", "ledgers.RegulationItem.is_current", "是否仍现行适用。", "bool"),
            ),
        ),
        Dataset(
            "documents",
            "规章制度和操作规程",
            "ledgers.RuleDocument",
            "企业的安全生产规章制度和操作规程，每个版本一行（含已废止的，见“状态”）。",
            (
                F("kind", "类别", "ledgers.RuleDocument.kind", "规章制度或操作规程。"),
                F("title", "名称", "ledgers.RuleDocument.title", "文件名称。"),
                F("code", "编号", "ledgers.RuleDocument.code", "企业内部编号。"),
                F("version", "版本", "ledgers.RuleDocument.version", "版本号。"),
                F("applies_to", "适用岗位或设备", "ledgers.RuleDocument.applies_to", "适用的岗位或设备。"),
                F("approved_by", "批准人", "ledgers.RuleDocument.approved_by", "批准人。"),
                F(
                    "approved_on",
                    "批准发布日期",
                    "ledgers.RuleDocument.approved_on",
                    "批准发布日期。",
                    "date",
                ),
                F(
                    "next_review_on",
                    "下次评审修订日期",
                    "ledgers.RuleDocument.next_review_on",
                    "计划的下次评审修订日期。",
                    "date",
                ),
                F("status", "状态", "ledgers.RuleDocument.status", "现行有效或已废止。"),
            ),
        ),
        Dataset(
            "norm_documents",
            "四项规范（企业编制）",
            "campaigns.NormDocument",
            "企业编制或修订的“四项规范”（安全检查清单、达标细则、运行提升指南、网格员检查导则）。"
            "这些记录由监管单位登记，只有单位用户的导出中含有。",
            (
                F("kind", "类别", "campaigns.NormDocument.kind", "四项规范中的哪一项。"),
                F("title", "名称", "campaigns.NormDocument.title", "文件名称。"),
                F("version", "版本", "campaigns.NormDocument.version", "版本号。"),
                F(
                    "issued_on",
                    "编制（修订）日期",
                    "campaigns.NormDocument.issued_on",
                    "编制或修订日期。",
                    "date",
                ),
                F(
                    "is_revision",
                    "修订",
                    "campaigns.NormDocument.is_revision",
                    "是修订（是）还是首次编制（否）。",
                    "bool",
                ),
            ),
        ),
    ),
)

EDUCATION = Group(
    "education_training",
    "教育培训",
    "教育培训（GB/T 33000-2016 5.3）：企业自己的培训记录和参训人员、人员持证，"
    "以及参加上级专题培训和现场观摩的情况。",
    (
        Dataset(
            "sessions",
            "企业培训记录",
            "ledgers.TrainingSession",
            "企业的每次培训（含尚未实施的培训计划，见“实施日期”）。",
            (
                F(
                    "kind",
                    "培训类别",
                    "ledgers.TrainingSession.kind",
                    "三级安全教育/年度再培训/特种作业/主要负责人和安全管理人员等。",
                ),
                F("title", "培训主题", "ledgers.TrainingSession.title", "培训主题。"),
                F("planned_on", "计划日期", "ledgers.TrainingSession.planned_on", "计划日期。", "date"),
                F(
                    "held_on",
                    "实施日期",
                    "ledgers.TrainingSession.held_on",
                    "实际实施日期；为空表示仍是计划。",
                    "date",
                ),
                F("hours", "学时", "ledgers.TrainingSession.hours", "培训学时。", "decimal"),
                F("trainer", "授课人", "ledgers.TrainingSession.trainer", "授课人。"),
                F("location", "地点", "ledgers.TrainingSession.location", "培训地点。"),
                F("attendee_count", "参训人数", "ledgers.TrainingAttendance", "登记的参训人数。", "int"),
                F(
                    "passed_count",
                    "考核合格人数",
                    "ledgers.TrainingAttendance.passed",
                    "考核结果为合格的参训人数。",
                    "int",
                ),
            ),
        ),
        Dataset(
            "attendances",
            "企业培训参训人员",
            "ledgers.TrainingAttendance",
            "企业培训的每位参训人员一行。",
            (
                F("training_title", "培训主题", "ledgers.TrainingAttendance.session.title", "所参加的培训。"),
                F(
                    "held_on",
                    "实施日期",
                    "ledgers.TrainingAttendance.session.held_on",
                    "培训实施日期。",
                    "date",
                ),
                F("person_name", "姓名", "ledgers.TrainingAttendance.person.name", "参训人员姓名。"),
                F("hours", "学时", "ledgers.TrainingAttendance.hours", "本人获得的学时。", "decimal"),
                F(
                    "exam_score",
                    "考试成绩",
                    "ledgers.TrainingAttendance.exam_score",
                    "考试成绩；未考试为空。",
                    "decimal",
                ),
                F(
                    "passed",
                    "考核合格",
                    "ledgers.TrainingAttendance.passed",
                    "考核是否合格；未考核为空。",
                    "bool",
                ),
            ),
        ),
        Dataset(
            "certificates",
            "人员持证",
            "duty.Certificate",
            "企业人员的安全生产知识和管理能力考核合格证明、特种作业操作证、特种设备作业人员证等，每证一行。",
            (
                F("person_name", "姓名", "duty.Certificate.person.name", "持证人姓名。"),
                F("kind", "证书类别", "duty.Certificate.kind", "证书类别。"),
                F(
                    "operation_type",
                    "作业类别/项目",
                    "duty.Certificate.operation_type",
                    "特种作业或特种设备作业的类别、项目。",
                ),
                F("number", "证书编号", "duty.Certificate.number", "证书编号。"),
                F("issuer", "发证机关", "duty.Certificate.issuer", "发证机关。"),
                F("issued_on", "发证日期", "duty.Certificate.issued_on", "发证日期。", "date"),
                F(
                    "expires_on",
                    "有效期至",
                    "duty.Certificate.expires_on",
                    "有效期截止日期；长期有效为空。",
                    "date",
                ),
                F(
                    "valid",
                    "导出日有效",
                    "duty.Certificate.expires_on",
                    "导出日当天证书是否在有效期内。",
                    "bool",
                ),
            ),
        ),
        Dataset(
            "campaign_attendances",
            "专题培训和现场观摩",
            "campaigns.Attendance",
            "企业人员参加监管单位登记的专题培训、现场观摩，每人每次一行。",
            (
                F("topic", "主题", "campaigns.Attendance.session.topic", "培训或观摩主题。"),
                F("session_kind", "类型", "campaigns.Attendance.session.kind", "专题培训或现场观摩。"),
                F("level", "层级", "campaigns.Attendance.session.level", "市级/县级/乡级。"),
                F("organizer", "组织单位", "campaigns.Attendance.session.organizer", "组织单位。"),
                F("held_on", "日期", "campaigns.Attendance.session.held_on", "举办日期。", "date"),
                F("person_name", "姓名", "campaigns.Attendance.person_name", "参加人员姓名。"),
                F(
                    "category",
                    "人员类别",
                    "campaigns.Attendance.category",
                    "企业主要负责人/企业安全管理员/企业其他从业人员等。",
                ),
                F("position", "职务", "campaigns.Attendance.position", "职务。"),
            ),
        ),
    ),
)

EQUIPMENT = Group(
    "equipment_facilities",
    "设备设施",
    "设备设施（GB/T 33000-2016 5.4.1）：设备设施台账（含特种设备、消防设施器材）和检验检查记录。",
    (
        Dataset(
            "equipment",
            "设备设施台账",
            "ledgers.Equipment",
            "企业的每台（套）设备设施一行（含停用、报废的，见“状态”）。",
            (
                F("category", "类别", "ledgers.Equipment.category", "一般设备设施/特种设备/消防设施器材。"),
                F(
                    "special_kind",
                    "特种设备种类",
                    "ledgers.Equipment.special_kind",
                    "特种设备的种类；非特种设备为空。",
                ),
                F("name", "名称", "ledgers.Equipment.name", "设备设施名称。"),
                F("code", "设备编号", "ledgers.Equipment.code", "企业内部编号。"),
                F("model_spec", "规格型号", "ledgers.Equipment.model_spec", "规格型号。"),
                F("location", "安装（存放）位置", "ledgers.Equipment.location", "安装或存放位置。"),
                F("responsible", "责任人", "ledgers.Equipment.responsible", "设备责任人。"),
                F(
                    "registration_number",
                    "使用登记证编号",
                    "ledgers.Equipment.registration_number",
                    "特种设备使用登记证编号。",
                ),
                F(
                    "commissioned_on",
                    "投用日期",
                    "ledgers.Equipment.commissioned_on",
                    "投入使用日期。",
                    "date",
                ),
                F(
                    "inspection_interval_months",
                    "检验（检查）周期（月）",
                    "ledgers.Equipment.inspection_interval_months",
                    "定期检验或检查周期（月）。",
                    "int",
                ),
                F(
                    "next_inspection_due",
                    "下次检验日期",
                    "ledgers.Equipment.next_inspection_due",
                    "按最近一次检验记录（无则按登记时填写）的下次检验日期。",
                    "date",
                ),
                F("status", "状态", "ledgers.Equipment.status", "在用/停用/报废。"),
                F("retired_on", "报废日期", "ledgers.Equipment.retired_on", "报废日期。", "date"),
            ),
        ),
        Dataset(
            "inspections",
            "检验检查记录",
            "ledgers.EquipmentInspection",
            "设备设施的每次定期检验、自行检查、维护保养一行。",
            (
                F(
                    "equipment_name",
                    "设备名称",
                    "ledgers.EquipmentInspection.equipment.name",
                    "被检验的设备设施。",
                ),
                F("equipment_code", "设备编号", "ledgers.EquipmentInspection.equipment.code", "设备编号。"),
                F("kind", "类别", "ledgers.EquipmentInspection.kind", "定期检验/自行检查/维护保养。"),
                F(
                    "inspected_on",
                    "检验（检查）日期",
                    "ledgers.EquipmentInspection.inspected_on",
                    "检验或检查日期。",
                    "date",
                ),
                F("agency", "检验机构或检查人", "ledgers.EquipmentInspection.agency", "检验机构或检查人。"),
                F("report_number", "报告编号", "ledgers.EquipmentInspection.report_number", "检验报告编号。"),
                F("result", "结论", "ledgers.EquipmentInspection.result", "合格/基本符合要求/不合格。"),
                F(
                    "next_due",
                    "下次检验（检查）日期",
                    "ledgers.EquipmentInspection.next_due",
                    "下次检验或检查日期。",
                    "date",
                ),
            ),
        ),
    ),
)

SITE = Group(
    "site_management",
    "现场管理",
    "现场管理（GB/T 33000-2016 5.4）：“5S”现场管理检查和“六有”可视化警示标识检查（5.4.4 警示标志）。",
    (
        Dataset(
            "site_assessments",
            "5S与六有检查",
            "standards.SiteAssessment",
            "企业的每次“5S”或“六有”检查一行，带不合格的检查项。",
            (
                F("kind", "类别", "standards.SiteAssessment.kind", "5S现场管理或六有可视化警示标识。"),
                F("checklist", "检查表", "standards.SiteAssessment.checklist.title", "所用检查表名称。"),
                F(
                    "checklist_version",
                    "检查表版本",
                    "standards.SiteAssessment.checklist.version",
                    "所用检查表版本。",
                    "int",
                ),
                F("assessed_on", "检查日期", "standards.SiteAssessment.assessed_on", "检查日期。", "date"),
                F("assessor_name", "检查人", "standards.SiteAssessment.assessor_name", "检查人。"),
                F(
                    "passed",
                    "达标",
                    "standards.SiteAssessment.passed",
                    "按检查表的达标规则是否达标。",
                    "bool",
                ),
                F(
                    "average",
                    "平均分",
                    "standards.SiteAssessment.average",
                    "检查项平均分；不评分为空。",
                    "decimal",
                ),
                F("item_count", "检查项数", "standards.SiteResult", "本次检查的检查项数。", "int"),
                F(
                    "failed_items",
                    "不合格项",
                    "standards.SiteResult.item.label",
                    "不合格的检查项名称（多项以顿号分隔）。",
                    "list",
                ),
            ),
        ),
    ),
    uncovered=(
        "作业安全中的作业许可和相关方管理（GB/T 33000-2016 5.4.2）",
        "职业健康（5.4.3）",
    ),
)

RISK = Group(
    "risk_control",
    "安全风险管控",
    "安全风险管控（GB/T 33000-2016 5.5.1）：风险点的类别、等级和管控措施，企业整体“四色”等级，"
    "四色安全风险空间分布图。",
    (
        Dataset(
            "risk_points",
            "风险点",
            "risks.RiskPoint",
            "企业在用的每个风险点一行（已撤销的不导出）；等级、分值和评估日期取最近一次评估。",
            (
                F("name", "风险点名称", "risks.RiskPoint.name", "风险点名称。"),
                F("kind", "风险点类别", "risks.RiskPoint.kind", "场所区域/设备设施/作业活动/岗位。"),
                F("location", "位置", "risks.RiskPoint.location", "所在位置。"),
                F(
                    "hazard_factors",
                    "危险有害因素",
                    "risks.RiskPoint.hazard_factors",
                    "GB/T 13861 危险和有害因素类别（多项以顿号分隔）。",
                    "list",
                ),
                F(
                    "hazard_description",
                    "主要危险有害因素描述",
                    "risks.RiskPoint.hazard_description",
                    "主要危险有害因素描述。",
                    "longtext",
                ),
                F(
                    "accident_types",
                    "可能导致的事故类型",
                    "risks.RiskPoint.accident_types",
                    "GB 6441 事故类型（多项以顿号分隔）。",
                    "list",
                ),
                F("level", "风险等级", "risks.RiskPoint.level", "重大/较大/一般/低风险；未评估为空。"),
                F("colour", "风险颜色", "risks.RiskPoint.level", "红/橙/黄/蓝，与风险等级对应。"),
                F(
                    "score",
                    "风险分值",
                    "risks.RiskPoint.score",
                    "最近一次评估的分值（LEC/LS/MES）。",
                    "decimal",
                ),
                F("assessed_on", "评估日期", "risks.RiskPoint.assessed_on", "最近一次评估日期。", "date"),
                F(
                    "next_review_on",
                    "下次复评日期",
                    "risks.RiskPoint.next_review_on",
                    "下次复评日期。",
                    "date",
                ),
                F(
                    "control_level",
                    "管控层级",
                    "risks.RiskPoint.control_level",
                    "公司级/部门（车间）级/班组级/岗位级。",
                ),
                F(
                    "responsible_department",
                    "责任部门",
                    "risks.RiskPoint.responsible_department",
                    "管控责任部门。",
                ),
                F("responsible_person", "责任人", "risks.RiskPoint.responsible_person", "管控责任人。"),
                F("responsible_phone", "责任人电话", "risks.RiskPoint.responsible_phone", "管控责任人电话。"),
                F(
                    "measures_engineering",
                    "工程技术措施",
                    "risks.RiskPoint.measures_engineering",
                    "管控措施：工程技术措施。",
                    "longtext",
                ),
                F(
                    "measures_management",
                    "管理措施",
                    "risks.RiskPoint.measures_management",
                    "管控措施：管理措施。",
                    "longtext",
                ),
                F(
                    "measures_training",
                    "培训教育措施",
                    "risks.RiskPoint.measures_training",
                    "管控措施：培训教育措施。",
                    "longtext",
                ),
                F(
                    "measures_ppe",
                    "个体防护措施",
                    "risks.RiskPoint.measures_ppe",
                    "管控措施：个体防护措施。",
                    "longtext",
                ),
                F(
                    "measures_emergency",
                    "应急处置措施",
                    "risks.RiskPoint.measures_emergency",
                    "管控措施：应急处置措施。",
                    "longtext",
                ),
                F(
                    "check_content",
                    "隐患排查内容",
                    "risks.RiskPoint.check_content",
                    "对应的隐患排查内容（三张清单）。",
                    "longtext",
                ),
                F("check_cycle", "排查周期", "risks.RiskPoint.check_cycle", "每班/每日/每周/每月等。"),
            ),
        ),
        Dataset(
            "enterprise_grades",
            "企业整体四色等级",
            "risks.EnterpriseGrade",
            "导出日有效的企业整体安全风险等级（季报表(一)注6），每家已评定的企业一行。",
            (
                F(
                    "level",
                    "四色等级",
                    "risks.EnterpriseGrade.level",
                    "重大/较大/一般/低风险（监管调整后为调整值）。",
                ),
                F("colour", "颜色", "risks.EnterpriseGrade.level", "红/橙/黄/蓝。"),
                F("source", "来源", "risks.EnterpriseGrade.source", "规则计算或监管调整。"),
                F(
                    "computed_level",
                    "规则计算等级",
                    "risks.EnterpriseGrade.computed_level",
                    "按评定规则计算的等级。",
                ),
                F(
                    "reasons",
                    "评定理由",
                    "risks.EnterpriseGrade.reasons",
                    "触发的评定规则（多条以顿号分隔）。",
                    "list",
                ),
                F(
                    "valid_from",
                    "起始日期",
                    "risks.EnterpriseGrade.valid_from",
                    "该等级自哪一天起有效。",
                    "date",
                ),
                F("override_reason", "调整理由", "risks.EnterpriseGrade.override_reason", "监管调整的理由。"),
                F(
                    "override_until",
                    "调整有效期至",
                    "risks.EnterpriseGrade.override_until",
                    "监管调整的有效期。",
                    "date",
                ),
            ),
        ),
        Dataset(
            "site_maps",
            "四色安全风险空间分布图",
            "risks.SiteMap",
            "企业的每张四色分布图一行。",
            (
                F("title", "图名", "risks.SiteMap.title", "分布图名称。"),
                F(
                    "marked_point_count",
                    "标注风险点数",
                    "risks.MapShape.risk_point",
                    "图上标注的风险点个数。",
                    "int",
                ),
                F("updated_on", "更新日期", "risks.SiteMap.updated_at", "分布图最近更新日期。", "date"),
            ),
        ),
    ),
    uncovered=(
        "变更管理（GB/T 33000-2016 5.5.1）",
        "重大危险源辨识和管理（5.5.2；系统只记录企业是否生产经营储存危险物品，见基本信息）",
        "预测预警（5.5.4）",
    ),
)

HAZARD = Group(
    "hazard_management",
    "隐患排查治理",
    "隐患排查治理（GB/T 33000-2016 5.5.3）：检查（排查）记录、隐患从登记到销号、重大隐患挂牌督办、"
    "事故隐患内部报告奖励。",
    (
        Dataset(
            "inspections",
            "隐患排查（检查）记录",
            "hazards.Inspection",
            "企业自查和监管方检查，每次检查一行。",
            (
                F(
                    "kind",
                    "检查类型",
                    "hazards.Inspection.kind",
                    "企业自查/基层社检查/县社督查/专家督导帮扶/执法检查/网格员巡查。",
                ),
                F(
                    "organization",
                    "检查单位",
                    "hazards.Inspection.organization.name",
                    "监管方检查的检查单位；企业自查为空。",
                ),
                F("inspected_on", "检查日期", "hazards.Inspection.inspected_on", "检查日期。", "date"),
                F("inspectors", "检查人员", "hazards.Inspection.inspectors", "检查人员。"),
                F(
                    "checklist",
                    "检查清单（版本）",
                    "hazards.Inspection.version.template.name",
                    "所用检查清单及版本。",
                ),
                F("status", "状态", "hazards.Inspection.status", "检查中或已完成。"),
                F("result_count", "检查项数", "hazards.InspectionResult", "记录了结果的检查项数。", "int"),
                F(
                    "failed_count",
                    "不符合项数",
                    "hazards.InspectionResult.outcome",
                    "结果为不符合的检查项数。",
                    "int",
                ),
                F("hazard_count", "发现隐患数", "hazards.Hazard.inspection", "本次检查登记的隐患数。", "int"),
                F("notice_no", "整改通知单编号", "hazards.Inspection.notice_no", "下达的整改通知单编号。"),
            ),
        ),
        Dataset(
            "hazards",
            "隐患",
            "hazards.Hazard",
            "每条隐患一行（隐患清单和整改清单合一），含“五定”和销号情况；误报作废的也导出，见“状态”。",
            (
                F("code", "隐患编号", "hazards.Hazard.code", "企业内的隐患编号。"),
                F("source", "来源", "hazards.Hazard.source", "自查/上级检查/执法检查/网格员/内部报告/举报。"),
                F("kind", "隐患类型", "hazards.Hazard.kind", "人的不安全行为/物的不安全状态/管理缺陷。"),
                F("level", "隐患等级", "hazards.Hazard.level", "一般隐患或重大隐患。"),
                F("location", "部位/区域", "hazards.Hazard.location", "隐患所在部位或区域。"),
                F("description", "隐患描述", "hazards.Hazard.description", "隐患描述。", "longtext"),
                F("found_on", "发现日期", "hazards.Hazard.found_on", "发现日期。", "date"),
                F("found_by_name", "发现人", "hazards.Hazard.found_by_name", "发现人。"),
                F("risk_point", "关联风险点", "hazards.Hazard.risk_point.name", "隐患所在的风险点。"),
                F("state", "状态", "hazards.Hazard.state", "登记/待整改/整改中/待验收/已销号/误报作废。"),
                F(
                    "responsible_person",
                    "整改责任人",
                    "hazards.Hazard.responsible_person",
                    "五定：整改责任人。",
                ),
                F("measures", "整改措施", "hazards.Hazard.measures", "五定：整改措施。", "longtext"),
                F("deadline", "整改期限", "hazards.Hazard.deadline", "五定：整改期限。", "date"),
                F("funds", "整改资金（元）", "hazards.Hazard.funds", "五定：整改资金。", "decimal"),
                F("rectified_on", "整改完成日期", "hazards.Hazard.rectified_on", "整改完成日期。", "date"),
                F("accepted_on", "验收销号日期", "hazards.Hazard.accepted_on", "验收销号日期。", "date"),
                F("acceptor_name", "验收人", "hazards.Hazard.acceptor_name", "五定：验收人。"),
                F(
                    "overdue",
                    "导出日逾期",
                    "hazards.Hazard.deadline",
                    "导出日当天是否已过整改期限仍未提交验收。",
                    "bool",
                ),
            ),
        ),
        Dataset(
            "listings",
            "重大隐患挂牌督办",
            "hazards.HazardListing",
            "监管单位对重大隐患的每次挂牌督办一行。",
            (
                F("hazard_code", "隐患编号", "hazards.HazardListing.hazard.code", "被督办的重大隐患编号。"),
                F("organization", "督办单位", "hazards.HazardListing.organization.name", "挂牌督办单位。"),
                F("document_no", "督办文号", "hazards.HazardListing.document_no", "督办文号。"),
                F("listed_on", "挂牌日期", "hazards.HazardListing.listed_on", "挂牌日期。", "date"),
                F("deadline", "督办期限", "hazards.HazardListing.deadline", "督办期限。", "date"),
                F("requirements", "督办要求", "hazards.HazardListing.requirements", "督办要求。", "longtext"),
                F(
                    "delisted_on",
                    "摘牌日期",
                    "hazards.HazardListing.delisted_on",
                    "摘牌日期；未摘牌为空。",
                    "date",
                ),
            ),
        ),
        Dataset(
            "reporting_channels",
            "事故隐患内部报告奖励机制",
            "hazards.ReportingChannel",
            "建立了内部报告渠道的企业一行。",
            (
                F(
                    "established_on",
                    "制度建立日期",
                    "hazards.ReportingChannel.established_on",
                    "内部报告奖励制度建立日期。",
                    "date",
                ),
                F(
                    "has_document",
                    "有制度文件",
                    "hazards.ReportingChannel.document",
                    "是否已上传制度文件。",
                    "bool",
                ),
                F(
                    "is_open",
                    "接受报告",
                    "hazards.ReportingChannel.is_open",
                    "员工报告链接是否开放。",
                    "bool",
                ),
                F("rule", "奖励办法", "hazards.ReportingChannel.rule", "奖励办法。", "longtext"),
            ),
        ),
        Dataset(
            "internal_reports",
            "事故隐患内部报告",
            "hazards.InternalReport",
            "员工通过内部报告渠道报告的每件事一行。为保护报告人，不导出报告人姓名和电话。",
            (
                F(
                    "received_on",
                    "报告日期",
                    "hazards.InternalReport.received_at",
                    "收到报告的日期。",
                    "date",
                ),
                F("location", "位置", "hazards.InternalReport.location", "报告的问题所在位置。"),
                F(
                    "description",
                    "发现的问题",
                    "hazards.InternalReport.description",
                    "报告的问题。",
                    "longtext",
                ),
                F("status", "核实结果", "hazards.InternalReport.status", "待核实/属实并登记隐患/不属实。"),
                F(
                    "hazard_code",
                    "登记的隐患编号",
                    "hazards.InternalReport.hazard.code",
                    "属实时登记的隐患编号。",
                ),
                F("handled_on", "核实日期", "hazards.InternalReport.handled_on", "核实日期。", "date"),
                F(
                    "reward_amount",
                    "奖励金额（元）",
                    "hazards.InternalReport.reward_amount",
                    "奖励金额。",
                    "decimal",
                ),
                F(
                    "reward_paid_on",
                    "兑现日期",
                    "hazards.InternalReport.reward_paid_on",
                    "奖励兑现日期。",
                    "date",
                ),
            ),
        ),
    ),
)

EMERGENCY = Group(
    "emergency_management",
    "应急管理",
    "应急管理（GB/T 33000-2016 5.6）：应急预案、应急演练、应急物资装备、应急救援队伍。",
    (
        Dataset(
            "plans",
            "应急预案",
            "ledgers.EmergencyPlan",
            "企业的每个应急预案版本一行（含已废止的，见“状态”）。",
            (
                F("kind", "类别", "ledgers.EmergencyPlan.kind", "综合应急预案/专项应急预案/现场处置方案。"),
                F("title", "名称", "ledgers.EmergencyPlan.title", "预案名称。"),
                F("version", "版本", "ledgers.EmergencyPlan.version", "版本号。"),
                F("issued_on", "发布实施日期", "ledgers.EmergencyPlan.issued_on", "发布实施日期。", "date"),
                F("filed_on", "备案日期", "ledgers.EmergencyPlan.filed_on", "备案日期；未备案为空。", "date"),
                F("filed_with", "备案部门", "ledgers.EmergencyPlan.filed_with", "备案部门。"),
                F("filing_number", "备案编号", "ledgers.EmergencyPlan.filing_number", "备案编号。"),
                F(
                    "review_due",
                    "下次评估修订日期",
                    "ledgers.EmergencyPlan.review_due",
                    "下次评估修订日期。",
                    "date",
                ),
                F(
                    "drill_interval_months",
                    "演练周期（月）",
                    "ledgers.EmergencyPlan.drill_interval_months",
                    "按预案要求的演练周期。",
                    "int",
                ),
                F("status", "状态", "ledgers.EmergencyPlan.status", "现行有效或已废止。"),
            ),
        ),
        Dataset(
            "drills",
            "应急演练",
            "ledgers.Drill",
            "企业的每次应急演练一行。",
            (
                F("held_on", "演练日期", "ledgers.Drill.held_on", "演练日期。", "date"),
                F("form", "演练形式", "ledgers.Drill.form", "桌面演练/单项（功能）演练/综合（实战）演练。"),
                F("scenario", "演练情景", "ledgers.Drill.scenario", "演练情景。"),
                F("plan", "所演练的预案", "ledgers.Drill.plan.title", "所演练的应急预案。"),
                F("team", "参演救援队伍", "ledgers.Drill.team.name", "参演的应急救援队伍。"),
                F("participants", "参演人数", "ledgers.Drill.participants", "参演人数。", "int"),
                F("effect", "演练效果", "ledgers.Drill.effect", "好/一般/差。"),
                F("evaluation", "演练评估", "ledgers.Drill.evaluation", "演练评估。", "longtext"),
                F(
                    "improvements",
                    "发现问题和改进措施",
                    "ledgers.Drill.improvements",
                    "发现问题和改进措施。",
                    "longtext",
                ),
            ),
        ),
        Dataset(
            "supplies",
            "应急物资装备",
            "ledgers.EmergencySupply",
            "应急物资装备清单的每一项一行。",
            (
                F("name", "名称", "ledgers.EmergencySupply.name", "物资装备名称。"),
                F("spec", "规格型号", "ledgers.EmergencySupply.spec", "规格型号。"),
                F("quantity", "数量", "ledgers.EmergencySupply.quantity", "数量。", "int"),
                F("unit_label", "计量单位", "ledgers.EmergencySupply.unit_label", "计量单位。"),
                F("location", "存放位置", "ledgers.EmergencySupply.location", "存放位置。"),
                F("keeper", "管理人", "ledgers.EmergencySupply.keeper", "管理人。"),
                F(
                    "checked_on",
                    "最近检查日期",
                    "ledgers.EmergencySupply.checked_on",
                    "最近检查日期。",
                    "date",
                ),
                F("expires_on", "有效期至", "ledgers.EmergencySupply.expires_on", "有效期截止日期。", "date"),
            ),
        ),
        Dataset(
            "rescue_teams",
            "应急救援队伍",
            "duty.RescueTeam",
            "导出日存续的应急救援队伍一行，带当天的队员人数。",
            (
                F("name", "队伍名称", "duty.RescueTeam.name", "队伍名称。"),
                F("employment", "专兼职", "duty.RescueTeam.employment", "专职或兼职队伍。"),
                F("contact_name", "联系人", "duty.RescueTeam.contact_name", "联系人。"),
                F("contact_phone", "联系电话", "duty.RescueTeam.contact_phone", "联系电话。"),
                F("member_count", "队员人数", "duty.RescueTeamMember", "导出日在队的队员人数。", "int"),
                F("equipment", "装备概况", "duty.RescueTeam.equipment", "装备概况。", "longtext"),
                F("established_on", "组建日期", "duty.RescueTeam.valid_from", "队伍组建日期。", "date"),
            ),
        ),
    ),
)

ACCIDENT = Group(
    "accident_management",
    "事故管理",
    "事故管理（GB/T 33000-2016 5.7）：事故和未遂事件的报告、等级（国务院令第493号）、"
    "调查处理和“四不放过”结案。",
    (
        Dataset(
            "accidents",
            "事故和未遂事件",
            "ledgers.Accident",
            "企业的每起事故或未遂事件一行。",
            (
                F(
                    "occurred_at",
                    "发生时间",
                    "ledgers.Accident.occurred_at",
                    "发生时间（北京时间）。",
                    "datetime",
                ),
                F("place", "发生地点", "ledgers.Accident.place", "发生地点。"),
                F("kind", "事故类别", "ledgers.Accident.kind", "GB 6441 事故类别。"),
                F("is_near_miss", "未遂事件", "ledgers.Accident.is_near_miss", "是否为未遂事件。", "bool"),
                F("summary", "经过简述", "ledgers.Accident.summary", "经过简述。", "longtext"),
                F("deaths", "死亡人数", "ledgers.Accident.deaths", "死亡人数。", "int"),
                F("serious_injuries", "重伤人数", "ledgers.Accident.serious_injuries", "重伤人数。", "int"),
                F("minor_injuries", "轻伤人数", "ledgers.Accident.minor_injuries", "轻伤人数。", "int"),
                F(
                    "direct_loss",
                    "直接经济损失（元）",
                    "ledgers.Accident.direct_loss",
                    "直接经济损失。",
                    "decimal",
                ),
                F(
                    "grade",
                    "事故等级",
                    "ledgers.Accident.grade",
                    "一般/较大/重大/特别重大事故；未遂事件为空。",
                ),
                F(
                    "reported_at",
                    "向监管部门报告时间",
                    "ledgers.Accident.reported_at",
                    "向监管部门报告的时间。",
                    "datetime",
                ),
                F("reported_to", "报告部门", "ledgers.Accident.reported_to", "报告部门。"),
                F("status", "处理状态", "ledgers.Accident.status", "已报告/调查中/整改落实中/已结案。"),
                F("causes", "事故原因", "ledgers.Accident.causes", "事故原因。", "longtext"),
                F(
                    "responsibility",
                    "责任认定和处理",
                    "ledgers.Accident.responsibility",
                    "责任认定和处理。",
                    "longtext",
                ),
                F("measures", "整改和防范措施", "ledgers.Accident.measures", "整改和防范措施。", "longtext"),
                F(
                    "causes_found",
                    "事故原因已查清",
                    "ledgers.Accident.causes_found",
                    "四不放过之一。",
                    "bool",
                ),
                F(
                    "responsible_handled",
                    "责任人员已处理",
                    "ledgers.Accident.responsible_handled",
                    "四不放过之一。",
                    "bool",
                ),
                F(
                    "measures_done",
                    "整改措施已落实",
                    "ledgers.Accident.measures_done",
                    "四不放过之一。",
                    "bool",
                ),
                F(
                    "people_educated",
                    "有关人员已受到教育",
                    "ledgers.Accident.people_educated",
                    "四不放过之一。",
                    "bool",
                ),
                F("closed_on", "结案日期", "ledgers.Accident.closed_on", "结案日期。", "date"),
            ),
        ),
    ),
)

IMPROVEMENT = Group(
    "continuous_improvement",
    "持续改进",
    "持续改进（GB/T 33000-2016 5.8）：标准化年度自评、持续改进清单、“回头看”评估报告、达标评审、星级，"
    "以及持续深化标准化建设的告知书和承诺书。",
    (
        Dataset(
            "self_assessments",
            "标准化年度自评",
            "standards.SelfAssessment",
            "企业每个年度的标准化自评一行（含草稿，见“状态”）。",
            (
                F("year", "年度", "standards.SelfAssessment.year", "自评年度。", "int"),
                F("standard", "对标标准", "standards.SelfAssessment.standard.title", "自评所对照的标准。"),
                F("status", "状态", "standards.SelfAssessment.status", "草稿/已提交/已通报。"),
                F(
                    "leader_name",
                    "自评组组长",
                    "standards.SelfAssessment.leader_name",
                    "自评组组长（主要负责人）。",
                ),
                F("started_on", "开始日期", "standards.SelfAssessment.started_on", "开始日期。", "date"),
                F("assessed_on", "完成日期", "standards.SelfAssessment.assessed_on", "完成日期。", "date"),
                F("percent", "百分制得分", "standards.SelfAssessment.percent", "百分制得分。", "decimal"),
                F(
                    "level_supported",
                    "可支持等级",
                    "standards.SelfAssessment.level_supported",
                    "按得分和安全绩效条件可支持的等级（1/2/3）；不满足为空。",
                    "int",
                ),
                F(
                    "veto_failed",
                    "否决项不符合",
                    "standards.SelfAssessment.veto_failed",
                    "是否有否决项不符合。",
                    "bool",
                ),
                F(
                    "announced_on",
                    "通报日期",
                    "standards.SelfAssessment.announced_on",
                    "向全员通报自评结果的日期。",
                    "date",
                ),
            ),
        ),
        Dataset(
            "improvement_items",
            "持续改进清单",
            "standards.ImprovementItem",
            "企业持续改进清单的每一项一行（单位自己的清单不导出）。",
            (
                F(
                    "source",
                    "来源",
                    "standards.ImprovementItem.source",
                    "标准化自评/回头看评估/达标评审/监督检查/其他。",
                ),
                F(
                    "problem",
                    "问题（不符合项）",
                    "standards.ImprovementItem.problem",
                    "问题或不符合项。",
                    "longtext",
                ),
                F("measure", "整改措施", "standards.ImprovementItem.measure", "整改措施。", "longtext"),
                F(
                    "responsible_name",
                    "整改责任人",
                    "standards.ImprovementItem.responsible_name",
                    "整改责任人。",
                ),
                F("found_on", "发现日期", "standards.ImprovementItem.found_on", "发现日期。", "date"),
                F("deadline", "整改时限", "standards.ImprovementItem.deadline", "整改时限。", "date"),
                F("status", "状态", "standards.ImprovementItem.status", "整改中/待验收/已验收/已撤销。"),
                F(
                    "completed_on",
                    "完成日期",
                    "standards.ImprovementItem.completed_on",
                    "整改完成日期。",
                    "date",
                ),
                F("acceptor_name", "验收人", "standards.ImprovementItem.acceptor_name", "验收人。"),
                F("accepted_on", "验收日期", "standards.ImprovementItem.accepted_on", "验收日期。", "date"),
            ),
        ),
        Dataset(
            "lookback_reports",
            "回头看评估报告",
            "standards.LookbackReport",
            "企业的每份“回头看”评估报告一行（单位自己的报告不导出）。",
            (
                F("title", "报告标题", "standards.LookbackReport.title", "报告标题。"),
                F(
                    "period_start",
                    "评估起始",
                    "standards.LookbackReport.period_start",
                    "评估期起始日期（通常为2021-08-01）。",
                    "date",
                ),
                F("reported_on", "报告日期", "standards.LookbackReport.reported_on", "报告日期。", "date"),
                F(
                    "signed_by",
                    "审核签字（主要负责人）",
                    "standards.LookbackReport.signed_by",
                    "审核签字的主要负责人。",
                ),
                F(
                    "summary",
                    "主要问题和薄弱环节",
                    "standards.LookbackReport.summary",
                    "主要问题和薄弱环节。",
                    "longtext",
                ),
            ),
        ),
        Dataset(
            "grade_records",
            "达标评审",
            "standards.GradeRecord",
            "企业的每次达标评审（定级）一行，含已过期、已撤销的，导出日的情况见“导出日状态”。",
            (
                F("grade_type", "达标类型", "standards.GradeRecord.grade_type", "国标/省标/地标。"),
                F("level", "等级", "standards.GradeRecord.level", "一级/二级/三级；地标不分级为空。"),
                F(
                    "reviewing_body",
                    "评审（定级）单位",
                    "standards.GradeRecord.reviewing_body",
                    "评审或定级单位。",
                ),
                F("certificate_no", "证书编号", "standards.GradeRecord.certificate_no", "证书编号。"),
                F(
                    "certified_on",
                    "发证（公告）日期",
                    "standards.GradeRecord.certified_on",
                    "发证或公告日期。",
                    "date",
                ),
                F("valid_from", "有效期起", "standards.GradeRecord.valid_from", "有效期起。", "date"),
                F("valid_to", "有效期至", "standards.GradeRecord.valid_to", "有效期至（不含当日）。", "date"),
                F("revoked_on", "撤销日期", "standards.GradeRecord.revoked_on", "撤销日期。", "date"),
                F(
                    "state",
                    "导出日状态",
                    "standards.GradeRecord.valid_to",
                    "导出日当天：有效/已过期/已撤销/未生效。",
                ),
            ),
        ),
        Dataset(
            "star_ratings",
            "星级",
            "standards.StarRating",
            "导出日有效的星级评定，每家已评定的企业一行。",
            (
                F("stars", "星级", "standards.StarRating.stars", "1–5星。", "int"),
                F("rated_on", "评定日期", "standards.StarRating.valid_from", "评定日期。", "date"),
                F("basis", "评定依据", "standards.StarRating.basis", "评定依据。", "longtext"),
                F("rater_name", "评定人 / 单位", "standards.StarRating.rater_name", "评定人或评定单位。"),
            ),
        ),
        Dataset(
            "letters",
            "告知书和承诺书",
            "campaigns.EnterpriseLetter",
            "《关于持续深化安全生产标准化建设告知书》的送达和承诺书的签订，每个专项行动每家企业一行。",
            (
                F(
                    "campaign",
                    "专项行动",
                    "campaigns.EnterpriseLetter.campaign.name",
                    "告知书所属的专项行动。",
                ),
                F(
                    "deadline",
                    "自评截止日期",
                    "campaigns.EnterpriseLetter.deadline",
                    "告知书要求完成年度自评的日期。",
                    "date",
                ),
                F(
                    "delivered_on",
                    "送达日期",
                    "campaigns.EnterpriseLetter.delivered_on",
                    "告知书送达日期。",
                    "date",
                ),
                F(
                    "delivery_method",
                    "送达方式",
                    "campaigns.EnterpriseLetter.delivery_method",
                    "当面/邮寄/电子送达。",
                ),
                F(
                    "signed_on",
                    "承诺书签订日期",
                    "campaigns.EnterpriseLetter.signed_on",
                    "承诺书签订日期。",
                    "date",
                ),
                F("signer", "签名人（法定代表人）", "campaigns.EnterpriseLetter.signer", "承诺书签名人。"),
                F(
                    "posted_on",
                    "公示栏公示日期",
                    "campaigns.EnterpriseLetter.posted_on",
                    "承诺书在公示栏公示的日期。",
                    "date",
                ),
            ),
        ),
    ),
)

GROUPS: tuple[Group, ...] = (
    BASIC_INFO,
    RESPONSIBILITY,
    INSTITUTIONAL,
    EDUCATION,
    EQUIPMENT,
    SITE,
    RISK,
    HAZARD,
    EMERGENCY,
    ACCIDENT,
    IMPROVEMENT,
)

# The eleven headings of the notice, in its order (a test keeps GROUPS equal to it).
NOTICE_HEADINGS = (
    "基本信息",
    "全员责任制",
    "制度化管理",
    "教育培训",
    "设备设施",
    "现场管理",
    "安全风险管控",
    "隐患排查治理",
    "应急管理",
    "事故管理",
    "持续改进",
)


def group(key: str) -> Group:
    return next(g for g in GROUPS if g.key == key)


def datasets() -> list[tuple[Group, Dataset]]:
    return [(g, d) for g in GROUPS for d in g.datasets]


def problems() -> list[str]:
    """Catalogue mistakes a test refuses: duplicate keys, unknown kinds, a common key reused by a dataset."""
    out: list[str] = []
    common = {f.key for f in COMMON_FIELDS}
    if len({g.key for g in GROUPS}) != len(GROUPS):
        out.append("duplicate group key")
    for g in GROUPS:
        if len({d.key for d in g.datasets}) != len(g.datasets):
            out.append(f"{g.key}: duplicate dataset key")
        for d in g.datasets:
            keys = [f.key for f in d.fields]
            if len(set(keys)) != len(keys):
                out.append(f"{g.key}.{d.key}: duplicate field key")
            if common & set(keys):
                out.append(f"{g.key}.{d.key}: field key reuses a common key")
            out.extend(f"{g.key}.{d.key}.{f.key}: kind {f.kind}" for f in d.fields if f.kind not in KINDS)
            out.extend(
                f"{g.key}.{d.key}.{f.key}: no meaning" for f in d.fields if not f.meaning or not f.label
            )
    return out
