"""What every document the system prints must look like as Chinese text (issue 8 G).

GB/T 15834: Chinese text takes full-width punctuation, so no half-width ``, ; : ( )`` next to a
Chinese character; dates in Arabic numerals are not zero-padded (2026年6月15日); no template tag
is left unrendered.
"""

from __future__ import annotations

import re

HAN = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef《》“”]"
HALF_WIDTH_NEXT_TO_CHINESE = re.compile(rf"{HAN}[,;:()]|[,;:()]{HAN}")
ZERO_PADDED_DATE = re.compile(r"\d{4}年0\d月|月0\d日|\d{4}-\d{2}-\d{2}")


def chinese_text_problems(text: str) -> list[str]:
    problems = [f"半角标点：…{text[max(0, m.start() - 8) : m.end() + 8]}…" for m in HALF_WIDTH_NEXT_TO_CHINESE.finditer(text)]
    problems += [f"日期格式：…{text[max(0, m.start() - 8) : m.end() + 8]}…" for m in ZERO_PADDED_DATE.finditer(text)]
    if "{{" in text or "{%" in text:
        problems.append("模板标记未渲染")
    return problems
