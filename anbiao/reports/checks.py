"""Cross-checks the tables imply (整改 ≤ 自查, 签订承诺书 ≤ 函告, size classes sum to the total …), shown as
warnings next to the tables. Pure functions over the computed values."""

from __future__ import annotations

from dataclasses import dataclass

SIZES = ("t1.base.above_scale", "t1.base.medium", "t1.base.small")
COLOURS = ("t1.colour.major", "t1.colour.significant", "t1.colour.general", "t1.colour.low")
STARS = tuple(f"t1.stars.{n}" for n in range(1, 6))


@dataclass(frozen=True)
class Check:
    text: str
    left: tuple[str, ...]
    op: str  # "<=", "=="
    right: tuple[str, ...]


CHECKS = (
    Check("规上+中等+小微 = 企业底数总数", SIZES, "==", ("t1.base.total",)),
    Check("整改隐患数量 ≤ 自查隐患数量", ("t1.lists.self_rectified",), "<=", ("t1.lists.self_found",)),
    Check("四色企业合计 ≤ 企业底数总数", COLOURS, "<=", ("t1.base.total",)),
    Check("星级企业合计 ≤ 企业底数总数", STARS, "<=", ("t1.base.total",)),
    Check("配备安全管理人员企业数 ≤ 人员数量", ("t1.duty.officers",), "<=", ("t1.duty.officer_people",)),
    Check("建立应急救援队伍企业数 ≤ 人员数量", ("t1.rescue.enterprises",), "<=", ("t1.rescue.people",)),
    *(
        Check(
            f"{label}一级+二级+三级 = {label}总数",
            tuple(f"t1.grade.{gt}.{n}" for n in (1, 2, 3)),
            "==",
            (f"t1.grade.{gt}.total",),
        )
        for gt, label in (("national", "国标"), ("provincial", "省标"))
    ),
    Check("签订承诺书企业数 ≤ 函告企业数", ("t2.commitments",), "<=", ("t2.letters",)),
    Check("督促整改隐患 ≤ 发现隐患", ("t3.rectified",), "<=", ("t3.found",)),
    Check("挂牌隐患整改数 ≤ 挂牌隐患数", ("t3.listing.rectified",), "<=", ("t3.listing.hazards",)),
    Check(
        "内部报告兑现奖励企业数 ≤ 获得奖励人次", ("t3.reporting.rewarded",), "<=", ("t3.reporting.people",)
    ),
    Check(
        "内部报告兑现奖励企业数 ≤ 建立机制企业数",
        ("t3.reporting.rewarded",),
        "<=",
        ("t3.reporting.enterprises",),
    ),
)


def run(values: dict) -> list[dict]:
    """Each check with both sides and whether it holds."""
    out = []
    for check in CHECKS:
        left = sum(values[k] for k in check.left)
        right = sum(values[k] for k in check.right)
        ok = left <= right if check.op == "<=" else left == right
        out.append({"text": check.text, "left": left, "right": right, "ok": ok})
    return out
