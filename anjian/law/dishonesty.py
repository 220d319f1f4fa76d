"""The serious-dishonesty list (安全生产严重失信主体名单, 联合惩戒) as rule data, and the proposal.

Spec: LEGAL.md §9. The national rule is 《安全生产严重失信主体名单管理办法》(应急管理部令第11号,
in force 2023-10-01); Shandong implements it by 鲁应急发〔2024〕10号 (text not in hand). Each listing
ground (``Condition``) carries its source and a ``text_pending`` flag: where LEGAL.md says the
text of a ground is not in our hands, the ground is stored so that the screens can name it, but it
**never lists a unit by itself** (the proposal says why it is not listed), exactly like a
major-hazard criterion whose text is pending.

``propose(unit, on=…)`` is pure: it takes the facts of one unit (its sectors, its accidents with
their grade, whether the accident was concealed or fined under AQSCF §114 for especially serious
circumstances, the penalties for unlicensed operation…) and returns one ``Proposal`` per ground
that the facts touch, with ``listed`` True only for a verified ground whose facts are met.

The period (3 years from publication) and the early removal (on application, at the earliest 12
months after publication, on credit-repair conditions) come from implementing rules (Shanxi 2024)
and are configurable defaults (status CFG): ``listing_period``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from anjian.law.catalogue import AccidentGrade
from anjian.law.errors import LawError
from anjian.law.taxonomy import SECTORS

RULE: Final = "《安全生产严重失信主体名单管理办法》（应急管理部令第11号）"
RULE_IN_FORCE: Final = dt.date(2023, 10, 1)
PROVINCIAL_RULE: Final = "《山东省安全生产严重失信主体名单管理办法》（鲁应急发〔2024〕10号，文本尚未取得）"


class Status(StrEnum):
    """How far a ground's text was checked (LEGAL.md introduction)."""

    S = "S"  # checked against a faithful copy, not the primary text
    CFG = "CFG"  # configurable default
    PENDING = "pending"  # the text is not in hand


class Basis(StrEnum):
    ACCIDENT = "accident"
    PENALTY = "penalty"


class Subject(StrEnum):
    """Who a ground lists: the unit, its principal (主要负责人), other people found responsible."""

    UNIT = "unit"
    PRINCIPAL = "principal"
    RESPONSIBLE = "responsible"


SUBJECT_LABELS: Final = {Subject.UNIT: "生产经营单位", Subject.PRINCIPAL: "主要负责人", Subject.RESPONSIBLE: "其他负有责任的人员"}


@dataclass(frozen=True, slots=True)
class Condition:
    """One listing ground of 11号 with its source and whether its text is in hand."""

    code: str
    basis: Basis
    text: str
    article: str
    subjects: tuple[Subject, ...]
    status: Status
    text_pending: bool = False
    note: str = ""

    @property
    def lists_units(self) -> bool:
        return Subject.UNIT in self.subjects


_ACCIDENT_ARTICLE: Final = f"{RULE}（列入名单的九种情形之一：发生生产安全事故的五种情形）"
_PENALTY_ARTICLE: Final = f"{RULE}（列入名单的九种情形之一：未发生生产安全事故、受到行政处罚的四种情形）"

# LEGAL.md §9: five grounds after an accident (status S), four after a penalty without accident
# (the first S, the other three text pending).
CONDITIONS: Final[tuple[Condition, ...]] = (
    Condition(
        "accident_major",
        Basis.ACCIDENT,
        "发生特别重大、重大生产安全事故",
        f"{_ACCIDENT_ARTICLE}第（一）项",
        (Subject.UNIT, Subject.PRINCIPAL, Subject.RESPONSIBLE),
        Status.S,
    ),
    Condition(
        "accident_larger_twice",
        Basis.ACCIDENT,
        "十二个月内累计发生二起以上较大生产安全事故",
        f"{_ACCIDENT_ARTICLE}第（二）项",
        (Subject.UNIT, Subject.PRINCIPAL),
        Status.S,
    ),
    Condition(
        "accident_fine_multiple",
        Basis.ACCIDENT,
        "发生生产安全事故，情节特别严重、影响特别恶劣，依照《中华人民共和国安全生产法》第一百一十四条的规定被处以罚款数额二倍以上五倍以下罚款",
        f"{_ACCIDENT_ARTICLE}第（三）项；《中华人民共和国安全生产法》第一百一十四条第二款",
        (Subject.UNIT, Subject.PRINCIPAL),
        Status.S,
    ),
    Condition(
        "accident_concealed",
        Basis.ACCIDENT,
        "瞒报、谎报生产安全事故",
        f"{_ACCIDENT_ARTICLE}第（四）项",
        (Subject.UNIT, Subject.RESPONSIBLE),
        Status.S,
    ),
    Condition(
        "principal_fled",
        Basis.ACCIDENT,
        "生产经营单位主要负责人在本单位发生生产安全事故时不立即组织抢救，或者在事故调查处理期间擅离职守或者逃匿",
        f"{_ACCIDENT_ARTICLE}第（五）项",
        (Subject.PRINCIPAL,),
        Status.S,
        note="只列入主要负责人，不据此列入单位。",
    ),
    Condition(
        "unlicensed_operation",
        Basis.PENALTY,
        "未依法取得安全生产相关许可或者许可被暂扣、吊销期间从事相关生产经营活动",
        f"{_PENALTY_ARTICLE}第（一）项",
        (Subject.UNIT, Subject.PRINCIPAL),
        Status.S,
    ),
    Condition(
        "penalty_ground_2",
        Basis.PENALTY,
        "未发生事故、受到行政处罚的第二种情形（条文尚未取得）",
        f"{_PENALTY_ARTICLE}第（二）项",
        (Subject.UNIT,),
        Status.PENDING,
        text_pending=True,
    ),
    Condition(
        "penalty_ground_3",
        Basis.PENALTY,
        "未发生事故、受到行政处罚的第三种情形（条文尚未取得）",
        f"{_PENALTY_ARTICLE}第（三）项",
        (Subject.UNIT,),
        Status.PENDING,
        text_pending=True,
    ),
    Condition(
        "assessment_body_fraud",
        Basis.PENALTY,
        "安全评价、认证、检测、检验机构租借资质、挂靠、出具虚假报告或者证书（条文尚未取得）",
        f"{_PENALTY_ARTICLE}第（四）项",
        (Subject.UNIT, Subject.RESPONSIBLE),
        Status.PENDING,
        text_pending=True,
    ),
)

BY_CODE: Final = {c.code: c for c in CONDITIONS}

# 11号 §2: the sectors the list covers. Every sector of ``taxonomy.SECTORS`` (mines incl. tailings
# ponds, hazardous chemicals, metallurgy, non-ferrous, building materials, machinery, light
# industry, textiles, tobacco, commerce) is among them; assessment and testing bodies are a
# separate kind of unit (``assessment_body``).
SCOPE_ARTICLE: Final = f"{RULE}第二条"
SECTORS_IN_SCOPE: Final = frozenset(SECTORS)


def condition(code: str) -> Condition:
    try:
        return BY_CODE[code]
    except KeyError:
        raise LawError(f"未知的严重失信情形：{code}", field="condition", code="unknown_condition") from None


@dataclass(frozen=True, slots=True)
class AccidentFact:
    """One accident of the unit with what the listing grounds look at."""

    occurred_on: dt.date
    grade: AccidentGrade
    ref: str = ""  # the record it came from (shown with the proposal)
    concealed: bool = False  # 瞒报、谎报 established by the investigation
    fine_multiple: bool = False  # fined 2–5 times under AQSCF §114 ¶2 (especially serious)


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """The facts of one unit: its sectors and what happened to it."""

    key: str
    name: str
    sectors: frozenset[str] = frozenset()
    assessment_body: bool = False
    accidents: tuple[AccidentFact, ...] = ()
    # Penalties without an accident: condition code → the references of the decisions found.
    penalties: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Proposal:
    """Whether ``unit`` is proposed for the list under ``condition``, and why (Chinese)."""

    unit: str
    name: str
    condition: Condition
    listed: bool
    reason: str
    refs: tuple[str, ...] = field(default_factory=tuple)
    triggered_on: dt.date | None = None


def in_scope(unit: UnitFacts) -> bool:
    return unit.assessment_body or bool(unit.sectors & SECTORS_IN_SCOPE)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _accident_hits(unit: UnitFacts, on: dt.date) -> dict[str, tuple[tuple[str, ...], dt.date]]:
    """Accident grounds met on ``on``: code → (references, the day the ground was met)."""
    hits: dict[str, tuple[tuple[str, ...], dt.date]] = {}
    accidents = sorted((a for a in unit.accidents if a.occurred_on <= on), key=lambda a: a.occurred_on)
    major = [a for a in accidents if a.grade in (AccidentGrade.MAJOR, AccidentGrade.ESPECIALLY_MAJOR)]
    if major:
        hits["accident_major"] = (tuple(a.ref for a in major), major[0].occurred_on)
    larger = [a for a in accidents if a.grade is AccidentGrade.LARGER]
    for earlier, later in zip(larger, larger[1:], strict=False):
        if later.occurred_on <= add_months(earlier.occurred_on, 12):
            hits["accident_larger_twice"] = ((earlier.ref, later.ref), later.occurred_on)
            break
    multiple = [a for a in accidents if a.fine_multiple]
    if multiple:
        hits["accident_fine_multiple"] = (tuple(a.ref for a in multiple), multiple[0].occurred_on)
    concealed = [a for a in accidents if a.concealed]
    if concealed:
        hits["accident_concealed"] = (tuple(a.ref for a in concealed), concealed[0].occurred_on)
    return hits


def propose(unit: UnitFacts, *, on: dt.date) -> list[Proposal]:
    """The grounds the facts of ``unit`` touch on ``on``, each with ``listed`` and the reason.

    A ground whose text is pending never lists the unit; a ground that lists only people (the
    principal who fled) does not list the unit; a unit outside 11号 §2's sectors is not listed;
    nothing is listed for facts before 11号 came into force.
    """
    unknown = sorted({code for code, _ in unit.penalties if code not in BY_CODE})
    if unknown:
        raise LawError(f"未知的严重失信情形：{'、'.join(unknown)}", field="condition", code="unknown_condition")
    hits = _accident_hits(unit, on)
    for code, ref in unit.penalties:
        refs, day = hits.get(code, ((), on))
        hits[code] = ((*refs, ref), day)
    out: list[Proposal] = []
    for cond in CONDITIONS:
        if cond.code in hits:
            refs, day = hits[cond.code]
            listed, reason = _decide(unit, cond, day)
            out.append(Proposal(unit=unit.key, name=unit.name, condition=cond, listed=listed, reason=reason, refs=refs, triggered_on=day))
    return out


def _decide(unit: UnitFacts, cond: Condition, day: dt.date) -> tuple[bool, str]:
    if cond.text_pending:
        return False, f"“{cond.text}”的条文尚未取得（{cond.article}），该情形不单独作为列入名单的依据，须待法规科取得并核实条文。"
    if not cond.lists_units:
        return False, f"该情形（{cond.article}）只列入{'、'.join(SUBJECT_LABELS[s] for s in cond.subjects)}，不列入单位。"
    if not in_scope(unit):
        return False, f"该单位不属于{SCOPE_ARTICLE}所列行业领域，不适用严重失信主体名单管理。"
    if day < RULE_IN_FORCE:
        return False, f"该情形发生于{RULE}施行（{RULE_IN_FORCE:%Y年%-m月%-d日}）之前，不据此列入。"
    return True, f"符合“{cond.text}”（{cond.article}），拟列入严重失信主体名单，由作出处罚决定的机关决定（谁处罚、谁决定、谁负责，{RULE}第四条）。"


# --- the period and removal ---------------------------------------------------------------------------------
PERIOD_YEARS: Final = 3
EARLY_REMOVAL_MONTHS: Final = 12
PERIOD_ARTICLE: Final = f"{RULE}；山西省实施办法（2024年）：公布期限三年，期满移出并停止公布（默认值，可配置）"
EARLY_REMOVAL_ARTICLE: Final = f"{RULE}；山西省实施办法（2024年）：公布满十二个月后可申请提前移出，须完成信用修复；申请不实的撤销移出（默认值，可配置）"
PERIOD_STATUS: Final = Status.CFG


@dataclass(frozen=True, slots=True)
class ListingPeriod:
    published_on: dt.date
    ends_on: dt.date  # the last day on the list; removed the day after
    early_removal_from: dt.date  # the earliest day an application for early removal may be granted
    article: str
    early_article: str
    status: Status


def listing_period(published_on: dt.date, *, years: int = PERIOD_YEARS, early_months: int = EARLY_REMOVAL_MONTHS) -> ListingPeriod:
    """The period on the list from the day of publication (calendar years and months)."""
    if years < 1 or early_months < 0 or early_months > years * 12:
        raise LawError("名单公布期限设置有误。", field="years", code="bad_period")
    return ListingPeriod(
        published_on=published_on,
        ends_on=add_months(published_on, years * 12),
        early_removal_from=add_months(published_on, early_months),
        article=PERIOD_ARTICLE,
        early_article=EARLY_REMOVAL_ARTICLE,
        status=PERIOD_STATUS,
    )


def removal_allowed(period: ListingPeriod, on: dt.date, *, early: bool, repaired: bool) -> tuple[bool, str]:
    """May the unit be removed on ``on``? At the end of the period; earlier only on application,
    after ``early_removal_from`` and with credit repair completed."""
    if on > period.ends_on:
        return True, f"公布期限已于{period.ends_on:%Y年%-m月%-d日}届满，移出名单并停止公布（{period.article}）。"
    if not early:
        return False, f"公布期限至{period.ends_on:%Y年%-m月%-d日}届满，届满前只能依申请提前移出（{period.early_article}）。"
    if on < period.early_removal_from:
        return False, f"公布未满十二个月（{period.early_removal_from:%Y年%-m月%-d日}起方可提前移出，{period.early_article}）。"
    if not repaired:
        return False, f"提前移出须完成信用修复（{period.early_article}）。"
    return True, f"公布已满十二个月且已完成信用修复，准予提前移出（{period.early_article}）。"


def conditions(*, basis: Basis | None = None, verified_only: bool = False) -> Sequence[Condition]:
    out: Iterable[Condition] = CONDITIONS
    if basis is not None:
        out = (c for c in out if c.basis is basis)
    if verified_only:
        out = (c for c in out if not c.text_pending)
    return tuple(out)
