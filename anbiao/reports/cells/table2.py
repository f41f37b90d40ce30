"""季报表(二): 十佳/百优/千企/万岗 by 层级, 宣传发动 — all since 2025-01-01."""

from __future__ import annotations

from anbiao.campaigns import report_cells as camp
from anbiao.campaigns.choices import Level, PostType, SessionKind, ShowcaseCategory
from anbiao.campaigns.models import Attendance, EnterpriseLetter, TrainingSession
from anbiao.orgs.choices import SizeClass
from anbiao.reports.cells import families as fam
from anbiao.reports.cells.base import D2025, Cell, _add

LEVEL_ROWS = tuple((value, str(label)) for value, label in Level.choices)


def _showcase_rows(category, level=None, **filters):
    def rows(c):
        return camp.showcase_entries(c.units, category, c.as_of, D2025, level).filter(**filters)

    return rows


def _letters(field_name):
    def rows(c):
        letters = EnterpriseLetter.objects.filter(enterprise__in=c.placed).filter(
            camp.window(field_name, c.as_of, D2025)
        )
        return c.placed.filter(pk__in=letters.values("enterprise_id"))

    return rows


def _sessions(kind):
    def rows(c):
        return TrainingSession.objects.filter(unit__in=c.units, kind=kind).filter(
            camp.window("held_on", c.as_of, D2025)
        )

    return rows


def _attendance(kind):
    def rows(c):
        return Attendance.objects.filter(session__in=_sessions(kind)(c)).select_related(
            "session", "enterprise"
        )

    return rows


def register():
    for level, row in LEVEL_ROWS:
        _add(
            Cell(
                f"t2.town_cases.{level}",
                2,
                ("十佳乡镇(街道、园区)案例", "数量(个)"),
                row,
                f"本单位及下级登记、{row}认定的十佳乡镇（街道、园区）案例",
                D2025,
                _showcase_rows(ShowcaseCategory.TOWN_CASE, level),
                unit_of_rows="案例",
                family=fam.SHOWCASE,
            )
        )
        for size, label in SizeClass.choices:
            _add(
                Cell(
                    f"t2.enterprise_cases.{level}.{size}",
                    2,
                    ("百优企业案例(个)", label),
                    row,
                    f"{row}认定的百优企业案例，按认定日企业规模为{label}",
                    D2025,
                    _showcase_rows(ShowcaseCategory.ENTERPRISE_CASE, level, size_class=size),
                    unit_of_rows="案例",
                    family=fam.SHOWCASE,
                )
            )
    for size in (SizeClass.ABOVE_SCALE, SizeClass.MEDIUM):
        label = SizeClass(size).label

        def rows(c, size=size):
            entries = _showcase_rows(ShowcaseCategory.THOUSAND, None, size_class=size)(c)
            return c.placed.model.objects.filter(pk__in=entries.values("enterprise_id"))

        _add(
            Cell(
                f"t2.thousand.{size}",
                2,
                ("千企达标评审(家)", label),
                "",
                f"参加千企达标评审的企业（去重），按评审日企业规模为{label}",
                D2025,
                rows,
                value=lambda c, size=size: camp.thousand_enterprises(c.units, c.as_of, D2025, size),
                additive=False,
                family=fam.THOUSAND,
            )
        )
    for level, row in LEVEL_ROWS:
        for post, label in PostType.choices:
            _add(
                Cell(
                    f"t2.posts.{level}.{post}",
                    2,
                    ("万岗达标(个)", label),
                    row,
                    f"{row}认定的{label}岗位个数",
                    D2025,
                    _showcase_rows(ShowcaseCategory.POST, level, post_type=post),
                    unit_of_rows="岗位",
                    family=fam.SHOWCASE,
                )
            )
    promo = "宣传发动"
    _add(
        Cell(
            "t2.letters",
            2,
            (promo, "函告企业数(家)"),
            "",
            "告知书送达日期在窗口内的企业（去重）",
            D2025,
            _letters("delivered_on"),
            family=fam.LETTERS,
        )
    )
    _add(
        Cell(
            "t2.commitments",
            2,
            (promo, "签订承诺书企业数(家)"),
            "",
            "承诺书签订日期在窗口内的企业（去重）",
            D2025,
            _letters("signed_on"),
            family=fam.LETTERS,
        )
    )
    for kind, head, labels in (
        (SessionKind.TRAINING, "专题培训", ("场次", "参训企业(家次)", "参训人数(人次)")),
        (SessionKind.SITE_VISIT, "现场观摩", ("场次", "参加企业(家次)", "参加人数(人次)")),
    ):
        prefix = "t2.training" if kind == SessionKind.TRAINING else "t2.site_visit"
        _add(
            Cell(
                f"{prefix}.sessions",
                2,
                (promo, head, labels[0]),
                "",
                f"本单位及下级举办日期在窗口内的{head}场次（各层级合计）",
                D2025,
                _sessions(kind),
                unit_of_rows="场次",
                family=fam.SESSIONS,
            )
        )
        _add(
            Cell(
                f"{prefix}.enterprises",
                2,
                (promo, head, labels[1]),
                "",
                f"上述{head}的参加企业，每场每家企业计1家次（列出的为参加记录）",
                D2025,
                _attendance(kind),
                value=lambda c, k=kind: camp.session_counts(c.units, k, c.as_of, D2025)[
                    "enterprise_attendances"
                ],
                measure="sum",
                unit_of_rows="参加记录",
                family=fam.SESSIONS,
            )
        )
        _add(
            Cell(
                f"{prefix}.persons",
                2,
                (promo, head, labels[2]),
                "",
                f"上述{head}的参加人员记录数（人次）",
                D2025,
                _attendance(kind),
                unit_of_rows="参加记录",
                family=fam.SESSIONS,
            )
        )
