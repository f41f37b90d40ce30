"""docs/city-platform.md, generated from the catalogue (``manage.py anbiao_cityplatform_docs``)."""

from __future__ import annotations

from anbiao.cityplatform.catalogue import COMMON_FIELDS, GROUPS, KIND_LABELS

INTRO = """# 泉州平台数据项导出

本文件由 `manage.py anbiao_cityplatform_docs` 根据 `anbiao/cityplatform/catalogue.py` 的字段目录生成，
请勿手工修改。

惠供联〔2025〕7号 三(四) 要求各单位运用“泉州市安全生产标准化智慧管理平台”，及时采集企业的生产经营基本信息和
全员责任制、制度化管理、教育培训、设备设施、现场管理、安全风险管控（含风险点类别、等级、管控措施）及隐患排查治理、
应急管理、事故管理、持续改进等信息。平台的表单和接口没有公开资料，本导出把系统中已有的记录按这11类整理，
供填报时对照录入；系统中没有记录来源的内容，导出中写明“暂无数据来源”，不编造数据。

## 如何导出

- 页面：菜单“季度报表 → 泉州平台数据”（`/city-platform/`）。县社、单位管理员和只读领导选择一个单位，
  导出该单位及其全部下级单位监管的企业（不含已注销企业）；企业用户导出本企业。企业详情页“安全档案”中的
  “导出泉州平台数据”导出该企业。页面先显示每类、每项的记录数，再下载 xlsx 或 JSON。
- 接口：`GET /api/v1/city-platform/enterprises/{id}/`（一家企业）、`GET /api/v1/city-platform/units/{id}/`
  （单位及其下级单位），返回与下载相同的 JSON。不在本人管辖范围内的企业或单位返回 404。
- 权限：`cityplatform.export`（县社管理员、单位管理员、只读领导、企业主要负责人、企业安全管理员）。
- 记录的可见范围与各模块相同；“四项规范”由单位登记，只有单位用户的导出中有。
- 有起止日期的状态（企业状态、任职、生效的清单版本、管理机构和人员、救援队伍、企业四色等级、星级）
  取导出日当天的状态；其他记录导出全部（含已废止、已作废的，以“状态”列区分）。

## xlsx

- 第一个工作表“说明”：导出范围、数据日期、生成时间、企业数，以及每个数据项的记录数、来源和说明。
- 之后每类一个工作表，表名为下文的类名。每个数据项一块：标题行“【数据项】共 N 条”、中文表头行、每条记录一行，
  无记录时写“（无记录）”。每行前两列都是企业名称和统一社会信用代码。
- 日期为日期格式，是否为“是/否”，多个值以顿号分隔；以 `= + - @` 开头的文本按文本保存，不会成为公式。

## JSON

```
{
  "format": "anbiao.cityplatform", "version": 1, "title": "泉州市安全生产标准化智慧管理平台数据项",
  "subject": {"kind": "unit", "id": 3, "name": "…", "code": "…"},
  // 企业导出时 subject 为 {"kind": "enterprise", "id": …, "name": …, "uscc": …}
  "as_of": "2025-12-31", "generated_at": "2025-12-31T09:00:00+08:00", "enterprise_count": 15,
  "groups": {
    "<类键>": {
      "label": "全员责任制", "has_source": true, "note": "", "uncovered": ["…"], "record_count": 42,
      "datasets": {
        "<数据项键>": {
          "label": "岗位与责任清单", "source": "duty.Post", "count": 12,
          "fields": [{"key": "enterprise_name", "label": "企业名称", "kind": "text"}, …],
          "records": [{"enterprise_name": "…", "enterprise_uscc": "…", "post_name": "…", …}, …]
        }
      }
    }
  }
}
```

- 键是稳定的：类键、数据项键和字段键见下文，增加字段只会增加键，不会改名。
- 值：文本为字符串（无值为 `""`）；日期为 `YYYY-MM-DD`；时间为带时区的 ISO 8601（北京时间）；数值为数字；
  是否为 `true`/`false`；多值为字符串数组；其他类型无值为 `null`。选项字段给出中文名称。
- `has_source` 为 `false` 的类在系统中暂无数据来源，`note` 说明原因；
  `uncovered` 列出该类中系统暂无记录来源的内容。

“来源”一列为 `应用.模型.字段`（沿外键用点号），或只写 `应用.模型` 表示按该模型的记录计数。
"""


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(fields) -> list[str]:
    lines = ["| 列名 | 键 | 类型 | 来源 | 含义 |", "|---|---|---|---|---|"]
    for f in fields:
        kind = KIND_LABELS[f.kind]
        lines.append(f"| {_escape(f.label)} | `{f.key}` | {kind} | `{f.source}` | {_escape(f.meaning)} |")
    return lines


def render() -> str:
    parts = [INTRO, "## 每行都有的字段\n", *_table(COMMON_FIELDS), ""]
    for number, g in enumerate(GROUPS, start=1):
        parts.append(f"## {number}. {g.label}（`{g.key}`）\n")
        parts.append(f"{g.meaning}\n")
        if not g.has_source:
            parts.append(f"**暂无数据来源**：{g.no_source}\n")
        for d in g.datasets:
            parts.append(f"### {d.label}（`{g.key}.{d.key}`）\n")
            parts.append(f"来源 `{d.source}`。{d.meaning}\n")
            parts.extend(_table(d.fields))
            parts.append("")
        if g.uncovered:
            parts.append("系统中暂无数据来源的内容（导出中注明，不填写数据）：\n")
            parts.extend(f"- {item}" for item in g.uncovered)
            parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"
