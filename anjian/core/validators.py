"""Our own checks for 统一社会信用代码 (GB 32100-2015) and 身份证号 (GB 11643-1999).

python-stdnum rejects valid codes starting with N, Y or A (PLATFORM.md), so these are ours.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

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
    hidden = invisible_chars_error(code, "统一社会信用代码")
    if hidden:
        return hidden
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位。"
    if code[0] not in USCC_AUTHORITIES:
        return "统一社会信用代码第1位（登记管理部门代码）应为1-9、A、N或Y。"
    bad = sorted({c for c in code if c not in _USCC_INDEX})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用I、O、Z、S、V）。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3-8位应为登记管理机关行政区划码（数字）。"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return "统一社会信用代码校验位错误，请核对。"
    return None


def normalize_uscc(code: str) -> str:
    return code.strip().upper()


_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def id_number_error(number: str) -> str | None:
    """``None`` when ``number`` is a valid 18-digit 身份证号 (check digit and a real birth date)."""
    n = number.strip().upper()
    if len(n) != 18 or not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return "身份证号应为18位，前17位为数字，末位为数字或X。"
    try:
        born = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在。"
    if born.year < 1900 or born > dt.date.today():
        return "身份证号中的出生日期不合理。"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(n[:17], _ID_WEIGHTS, strict=True)) % 11]
    if n[17] != check:
        return "身份证号校验位错误，请核对。"
    return None


# --- characters a person cannot see --------------------------------------------------------------
_INVISIBLE_NAMES = {
    " ": "空格",
    "\u3000": "全角空格",
    "\xa0": "不换行空格",
    "\t": "制表符",
    "\n": "换行符",
    "\r": "回车符",
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\u200d": "零宽连接符",
    "\u2060": "零宽不换行符",
    "\ufeff": "零宽不换行空格（BOM）",
}


def invisible_chars(text: str) -> list[tuple[int, str]]:
    """(1-based position, Chinese name) of every character in ``text`` that shows as nothing:
    spaces of any width, tabs and line breaks, zero-width and other format characters."""
    import unicodedata

    found = []
    for i, c in enumerate(text, start=1):
        name = _INVISIBLE_NAMES.get(c)
        if name is None and unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc", "Cf"):
            name = f"不可见字符（U+{ord(c):04X}）"
        if name is not None:
            found.append((i, name))
    return found


def invisible_chars_error(text: str, label: str) -> str | None:
    """A message naming each invisible character of ``text`` by position, e.g. "第3位是空格"."""
    found = invisible_chars(text)
    if not found:
        return None
    where = "、".join(f"第{i}位是{name}" for i, name in found[:5])
    more = f"等{len(found)}处" if len(found) > 5 else ""
    return f"{label}中有看不见的字符：{where}{more}，请删除后重新填写。"


# --- telephone numbers ---------------------------------------------------------------------------
_PHONE_RE = re.compile(
    r"(?:\+?86[- ]?)?1[3-9]\d{9}"  # mainland mobile
    r"|(?:0\d{2,3}[- ]?|[(（]0\d{2,3}[)）])[1-9]\d{6,7}(?:(?:-|转|#)\d{1,6})?"  # fixed line with area code, optional extension
    r"|[48]00[- ]?\d{3}[- ]?\d{4}"  # 400 / 800 service numbers
)
_MOBILE_RE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")  # "138 1234 5678", "138-1234-5678"
_PHONE_SPLIT = re.compile(r"[、，,/；;]")


def phone_error(value: str) -> str | None:
    """``None`` when ``value`` is empty or every number in it (separated by 、，/；) is a mainland
    mobile number, a fixed line with its area code (extension allowed) or a 400/800 number."""
    text = (value or "").strip()
    if not text:
        return None
    for part in _PHONE_SPLIT.split(text):
        p = part.strip()
        hidden = invisible_chars(p.replace(" ", ""))
        if hidden:
            return invisible_chars_error(p, "电话号码")
        if not _PHONE_RE.fullmatch(p) and not _MOBILE_RE.fullmatch(re.sub(r"[ -]", "", p)):
            return f"电话号码“{p}”格式不正确：应为11位手机号（如13812345678）、带区号的固定电话（如0535-1234567，分机写作0535-1234567-801）或400/800号码。"
    return None


def validate_phone(value: str) -> None:
    """Model and form field validator (``phone_error``)."""
    msg = phone_error(value)
    if msg:
        raise ValidationError(msg, code="phone")


def validate_id_number(value: str | None) -> None:
    """Model and form field validator of a 身份证号 (``id_number_error``); empty is allowed."""
    if value in (None, ""):
        return
    msg = id_number_error(str(value))
    if msg:
        raise ValidationError(msg, code="id_number")


def validate_uscc(value: str | None) -> None:
    """Model and form field validator of a credit code's form (uniqueness is the service's)."""
    if value in (None, ""):
        return
    msg = uscc_error(normalize_uscc(str(value)))
    if msg:
        raise ValidationError(msg, code="uscc")


# --- dates that make sense ---------------------------------------------------------------------
EARLIEST = dt.date(1949, 10, 1)
# What each kind of date may be: (years after today it may reach, days of tolerance for a fact).
DATE_KINDS: dict[str, tuple[str, int]] = {
    # Something that has happened (a status change, an event of a certificate): not in the future;
    # one day of tolerance for a date entered near midnight in another time zone.
    "fact": ("已经发生的事实", 1),
    # The start of a validity or a plan period: may be announced ahead, up to a year.
    "start": ("起始日期", 366),
    # The end of a validity (licence, certificate, plan period): within 30 years.
    "end": ("有效期截止日期", 30 * 366),
}


def date_bounds_error(value: dt.date | None, kind: str, *, today: dt.date | None = None) -> str | None:
    """``None`` when ``value`` lies within the sane range for a date of ``kind`` (``DATE_KINDS``)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    from django.utils import timezone

    today = today or timezone.localdate()
    what, ahead = DATE_KINDS[kind]
    if value < EARLIEST:
        return f"日期{value.year}年{value.month}月{value.day}日早于{EARLIEST.year}年{EARLIEST.month}月{EARLIEST.day}日，请核对。"
    latest = today + dt.timedelta(days=ahead)
    if value > latest:
        if kind == "fact":
            return f"日期{value.year}年{value.month}月{value.day}日晚于今天：这里登记的是已经发生的事实。"
        return f"{what}{value.year}年{value.month}月{value.day}日过远，不能晚于{latest.year}年{latest.month}月{latest.day}日，请核对。"
    return None


@deconstructible
class DateBounds:
    """Field validator: ``DateBounds("fact")``, ``DateBounds("start")`` or ``DateBounds("end")``."""

    def __init__(self, kind: str) -> None:
        if kind not in DATE_KINDS:
            raise ValueError(kind)
        self.kind = kind

    def __call__(self, value: dt.date | None) -> None:
        msg = date_bounds_error(value, self.kind)
        if msg:
            raise ValidationError(msg, code="date_bounds")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateBounds) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(("DateBounds", self.kind))


# --- masking 身份证号 where they are listed ------------------------------------------------------
_ID_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[0-9Xx])(?!\d)")
# Fields whose value is, or may carry, an ID number (a 特种作业操作证 number is the holder's ID number).
ID_FIELDS = frozenset({"id_number", "certificate_no"})


def mask_id_number(value: Any) -> str:
    """身份证号 shown as region + ******** + last four: enough to recognise, not to copy."""
    s = str(value or "")
    if not s:
        return ""
    if len(s) < 10:
        return s[:2] + "*" * (len(s) - 2)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_id_numbers_in(text: Any) -> str:
    """``text`` with every 18-character ID number in it masked (e.g. a certificate number that is
    the holder's ID number, "T370602198001011234")."""
    return _ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * 8 + m.group(3)[-4:], str(text or ""))


def mask_id_fields(data: Any) -> Any:
    """A copy of ``data`` (dicts and lists, e.g. an audit event's before/after) with the values of
    ``ID_FIELDS`` masked."""
    if isinstance(data, dict):
        return {k: (mask_id_numbers_in(v) if k in ID_FIELDS and isinstance(v, str) else mask_id_fields(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [mask_id_fields(v) for v in data]
    return data
