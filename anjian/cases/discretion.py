"""Discretion in a penalty case (issue 9 item 5): the local standard's bands, the reasons the
officer must give, and comparable decisions (同案不同罚).

* The bands of a violation's applicable range come from the approved local standard (裁量基准,
  行政处罚法第三十四条) of the case's agency, else the city's, else the default thirds
  (``anjian.legal.discretion.cuts_for_many``; ``law.penalties.DiscretionCuts``). A standard whose
  cuts do not fit the range applicable on the day (行政处罚法第三十七条: a lighter new law) is not
  used; the default applies and the basis says so.
* Reasons: every amount needs them (services.case_propose); where a local standard sets the bands,
  an amount in its lenient or heavy band needs the circumstances that put it there
  (:func:`reasons_error`).
* Comparables: decided cases city-wide with the same violation, subject, circumstance and band; only
  amounts and counts leave a district, never a party, a case or its number (:func:`comparables`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from anjian.cases.models import Case, CaseViolation
from anjian.core.models import Jurisdiction
from anjian.law import penalties as law_penalties
from anjian.law.comparables import FarCheck, Spread, far_from, spread
from anjian.law.errors import LawError
from anjian.legal import discretion as legal_discretion

DEFAULT_SOURCE: Final = "默认三等分（未配置本地裁量基准）"
BENCHMARK: Final = "《应急管理行政处罚裁量权基准》（应急〔2024〕90号）"
# An amount in the lenient or heavy band states the circumstances that put it there; a bare label
# ("从轻") is not a reason (行政处罚法第五条 过罚相当; 第三十四条 裁量基准). At least this many characters.
MIN_REASONS_OUTSIDE_ORDINARY: Final = 10


@dataclass(frozen=True)
class Standard:
    cuts: law_penalties.DiscretionCuts | None
    source: str  # the citation of the standard applied, or why the default applies
    note: str = ""


def _jurisdiction_code(case: Case) -> str:
    return str(Jurisdiction.objects.filter(pk=case.jurisdiction_id).values_list("code", flat=True).first() or "")


def standards_for(case: Case, violations: Sequence[CaseViolation], on: dt.date) -> dict[int, Standard]:
    """The applied standard per violation pk (``Standard``); one query for all of them."""
    found = legal_discretion.cuts_for_many(jurisdiction_code=_jurisdiction_code(case), keys=[(v.violation_id, v.subject, v.circumstance) for v in violations], on=on)
    out: dict[int, Standard] = {}
    for v in violations:
        a = found.get((v.violation_id, v.subject, v.circumstance))
        out[v.pk] = Standard(a.cuts, a.citation, a.note) if a is not None else Standard(None, DEFAULT_SOURCE)
    return out


def fit(standard: Standard, fine_range: law_penalties.FineRange) -> Standard:
    """The standard if its cuts lie inside ``fine_range``; else the default, saying why."""
    if standard.cuts is None:
        return standard
    try:
        law_penalties.check_cuts(standard.cuts, fine_range)
    except LawError:
        return Standard(None, f"{standard.source}的分界不在适用幅度{fine_range}内，按默认三等分")
    return standard


def standard_for_violation(v: CaseViolation, fine_range: law_penalties.FineRange, on: dt.date) -> Standard:
    """Used by ``services._check_amount``: the standard that decides ``v``'s band on ``on``."""
    return fit(standards_for(v.case, [v], on)[v.pk], fine_range)


def standard_applied(v: CaseViolation) -> bool:
    """Did a local standard (not the default thirds) decide ``v``'s band? (``range_basis`` records it.)"""
    return "裁量基准：《" in (v.range_basis or "") and "按默认三等分" not in v.range_basis


def reasons_error(v: CaseViolation) -> str | None:
    """What is missing from ``v``'s reasons, or ``None``. Every amount needs reasons; where a local
    standard sets the bands, an amount outside its ordinary band needs the circumstances."""
    reasons = (v.reasons or "").strip()
    if v.proposed_amount is not None and not reasons:
        return "请写明裁量理由（违法情节、危害后果、改正情况等）。"
    outside = v.band in (law_penalties.Band.LENIENT.value, law_penalties.Band.HEAVY.value)
    if outside and standard_applied(v) and len(reasons) < MIN_REASONS_OUTSIDE_ORDINARY:
        label = law_penalties.Band(v.band).label
        return f"拟罚款数额属于{label}档次，裁量理由须写明{label}处罚所依据的具体情节（不少于{MIN_REASONS_OUTSIDE_ORDINARY}个字）。"
    return None


# --- comparable decisions (同案不同罚) ------------------------------------------------------------------
@dataclass
class Comparables:
    violation: CaseViolation
    band: str
    spread: Spread
    own_agency_count: int
    far: FarCheck | None
    bands: dict[str, law_penalties.FineRange] = field(default_factory=dict)
    legal_range: law_penalties.FineRange | None = None
    standard: str = ""

    @property
    def band_label(self) -> str:
        return law_penalties.Band(self.band).label if self.band in {b.value for b in law_penalties.Band} else "全部档次"


def _range(v: CaseViolation, on: dt.date) -> law_penalties.FineRange | None:
    if v.range_max is not None:
        return law_penalties.FineRange(v.range_min, v.range_max, v.range_basis)
    try:
        app = law_penalties.applicable_range(v.violation_id, v.act_date, on, subject=v.subject, circumstance=v.circumstance, grade=v.grade or None, income=v.income, gains=v.gains)
    except LawError:
        return None
    return app.range


def comparables(case: Case, *, on: dt.date, violations: Sequence[CaseViolation] | None = None) -> list[Comparables]:
    """Per violation of ``case``: the decided amounts city-wide (every district) for the same
    violation, subject, circumstance and band (all bands while no amount is proposed), as count,
    minimum, quartiles, median and maximum, and whether the proposed amount is far from them
    (``law.comparables.far_from``: at least 5, outside the IQR widened 1.5 times). One query per
    violation reads amounts and the deciding agency only: no party, case id or number leaves the
    district."""
    rows = list(violations) if violations is not None else list(CaseViolation.objects.filter(case=case).order_by("act_group", "id"))
    standards = standards_for(case, rows, on) if rows else {}
    out: list[Comparables] = []
    for v in rows:
        qs = CaseViolation.objects.filter(
            violation_id=v.violation_id, subject=v.subject, circumstance=v.circumstance, case__decided_on__isnull=False, proposed_amount__isnull=False
        ).exclude(case_id=case.pk)
        if v.band:
            qs = qs.filter(band=v.band)
        pairs = list(qs.values_list("proposed_amount", "case__owner_agency_id"))
        s = spread(a for a, _ in pairs)
        far = far_from(v.proposed_amount, s) if v.proposed_amount is not None else None
        rng = _range(v, on)
        std = fit(standards[v.pk], rng) if rng is not None else standards[v.pk]
        bands = {b.value: r for b, r in law_penalties.discretion_bands(rng, std.cuts).items()} if rng is not None else {}
        out.append(Comparables(v, v.band, s, sum(1 for _, a in pairs if a == case.owner_agency_id), far, bands, rng, std.source))
    return out


def proposal_warnings(case: Case, violations: Sequence[CaseViolation], on: dt.date) -> list[str]:
    """The warnings shown with the proposal (CaseStep summary): amounts far from comparables."""
    return [f"{c.violation.violation_id}：{c.far.message}" for c in comparables(case, on=on, violations=violations) if c.far is not None and c.far.far]


def money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"
