import pytest

from anbiao.orgs import uscc

# Published codes of real organisations (check digits computed by their registrars).
REAL_CODES = [
    "91350100M000100Y43",  # 福建省 company code widely used as the GB 32100 worked example
    "91110000802100433B",  # 中国石油化工股份有限公司
    "91440300708461136T",  # 华为技术有限公司
    "911100001000079554",  # 中国移动通信集团有限公司
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass_the_check_digit(code):
    assert uscc.problem(code) is None


@pytest.mark.parametrize("code", REAL_CODES)
def test_changing_any_one_character_of_a_real_code_is_caught(code):
    for i in range(17):
        replacement = "3" if code[i] != "3" else "5"
        corrupted = code[:i] + replacement + code[i + 1 :]
        assert uscc.problem(corrupted) is not None, corrupted


def test_a_swapped_check_digit_is_reported_as_such():
    code = REAL_CODES[1]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert uscc.problem(wrong) == "校验位错误"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("9135010", "应为18位，实际为7位"),
        ("91350100M000100YI3", "含有不允许的字符：I"),
        ("Z1350100M000100Y43", "含有不允许的字符：Z"),
        ("B1350100M000100Y43", "第1位登记管理部门代码无效"),
        ("9135A100M000100Y43", "第3-8位行政区划码应为数字"),
    ],
)
def test_malformed_codes_are_described_in_chinese(code, expected):
    assert uscc.problem(code) == expected


def test_full_width_and_lower_case_input_is_normalised():
    assert uscc.normalize(" ９１１１００００８０２１００４３３ｂ ") == "91110000802100433B"
    assert uscc.is_valid("９１１１００００８０２１００４３３ｂ")
