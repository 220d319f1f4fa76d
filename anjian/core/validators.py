"""Our own checks for 统一社会信用代码 (GB 32100-2015) and 身份证号 (GB 11643-1999).

python-stdnum rejects valid codes starting with N, Y or A (PLATFORM.md), so these are ours.
"""

from __future__ import annotations

import datetime as dt

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_USCC_INDEX = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
# GB 32100 §4.1: the registration authority (first character) and the kind of organisation.
USCC_AUTHORITIES = set("123456789ANY")


def uscc_check_char(body17: str) -> str:
    total = sum(_USCC_INDEX[c] * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """``None`` when ``code`` is a valid credit code, else a Chinese reason."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位,当前为{len(code)}位。"
    if code[0] not in USCC_AUTHORITIES:
        return "统一社会信用代码第1位(登记管理部门代码)应为1-9、A、N或Y。"
    bad = sorted({c for c in code if c not in _USCC_INDEX})
    if bad:
        return f"统一社会信用代码含有不允许的字符:{''.join(bad)}(不使用I、O、Z、S、V)。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3-8位应为登记管理机关行政区划码(数字)。"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return "统一社会信用代码校验位错误,请核对。"
    return None


def normalize_uscc(code: str) -> str:
    return code.strip().upper()


_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def id_number_error(number: str) -> str | None:
    """``None`` when ``number`` is a valid 18-digit 身份证号 (check digit and a real birth date)."""
    n = number.strip().upper()
    if len(n) != 18 or not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return "身份证号应为18位,前17位为数字,末位为数字或X。"
    try:
        born = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在。"
    if born.year < 1900 or born > dt.date.today():
        return "身份证号中的出生日期不合理。"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(n[:17], _ID_WEIGHTS, strict=True)) % 11]
    if n[17] != check:
        return "身份证号校验位错误,请核对。"
    return None
