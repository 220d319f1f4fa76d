"""The registry of document kinds (文书种类): what each kind is called, how it is numbered, which
template renders it and which facts it cannot be issued without.

The registry is code, not data: a kind's required facts follow from the law that prescribes the
form (e.g. AQSCF §68 for the inspection record, XZCF §59 for a decision), and its template is a
file the project authors (``build_templates.py``). This module registers the four inspection forms;
apps above ``documents`` register their own kinds with :func:`register` from their ``AppConfig.ready``
(the documents core knows no domain app: the app hands it a context, ARCHITECTURE.md rule 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from anjian.core.errors import ValidationFailed

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_docx"

# Keys the documents core puts into every rendering context itself; a kind's facts may not use them.
COMMON_KEYS = frozenset(
    {"agency_name", "doc_abbr", "number", "year", "seq", "kind_name", "issued_on", "issued_date_cn", "issued_date_chinese", "verify_code", "verify_url", "verify_qr"}
)

FACT_TYPES = frozenset({"text", "date", "datetime", "list", "bool"})

# A cross-fact rule: (context, issued_on) → {fact key: Chinese message}; empty when satisfied.
Check = Callable[[Mapping[str, Any], dt.date], dict[str, str]]


@dataclass(frozen=True)
class Fact:
    """One fact a kind cannot be issued without.

    ``key`` is a dotted path into the context (``party.name``). A ``list`` fact needs at least
    ``min_items`` items (0: the list must be given explicitly, but may be empty — "nothing found"
    is a statement the record must make, not a default), and each item must carry ``item_facts``
    (keys relative to the item). ``alternatives`` are other keys that satisfy the fact instead
    (the party's signature *or* the note of its refusal, AQSCF §68).
    """

    key: str
    label: str
    type: str = "text"
    min_items: int = 1
    item_facts: tuple[Fact, ...] = ()
    alternatives: tuple[str, ...] = ()
    article: str = ""
    # False for a fact the kind checks but the paper need not print (the referral's date is its
    # issue date; a preservation decision names the notice, not the case): a bureau's own
    # template is not refused for leaving it out (documents/templates.py).
    printed: bool = True

    def __post_init__(self) -> None:
        if self.type not in FACT_TYPES:
            raise ValueError(f"unknown fact type {self.type!r}")
        if self.item_facts and self.type != "list":
            raise ValueError("item_facts only for list facts")


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document: its name, its 文号 word, its template and its required facts.

    ``number_word`` is the kind's word in the 文号 (``芝应急责改〔2026〕3号``). Numbers run per
    agency, word and year: kinds that share a word (a penalty decision on a unit and on a person
    both use 罚) share one sequence, so a 文号 is never given twice.
    """

    code: str
    name: str
    number_word: str
    template: str
    template_version: str
    facts: tuple[Fact, ...]
    served: bool
    basis: str = ""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    template_dir: Path = TEMPLATE_DIR

    def __post_init__(self) -> None:
        object.__setattr__(self, "defaults", MappingProxyType(dict(self.defaults)))
        clash = {f.key.split(".")[0] for f in self.facts} & COMMON_KEYS
        if clash:
            raise ValueError(f"facts of {self.code} use reserved keys: {sorted(clash)}")

    @property
    def template_path(self) -> Path:
        return self.template_dir / self.template


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind, *, replace: bool = False) -> DocumentKind:
    """Add a kind. A second kind with the same code is refused unless ``replace``."""
    if kind.code in _KINDS and not replace:
        raise ValueError(f"document kind {kind.code!r} is already registered")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> DocumentKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise ValidationFailed(f"未知的文书种类：{code}。", code="unknown_document_kind", fields={"kind": f"未知的文书种类：{code}。"}) from None


def kinds() -> list[DocumentKind]:
    return list(_KINDS.values())


# --- the records documents belong to (the register's links) -----------------------------------------
# An app above registers how to name and link its own records (documents knows none of them, rule 1):
# ``subject_type`` → (label, the record's URL from its id; "" when it has no page).
_SUBJECTS: dict[str, tuple[str, Callable[[str], str]]] = {}


def register_subject(subject_type: str, label: str, url: Callable[[str], str]) -> None:
    _SUBJECTS[subject_type] = (label, url)


def subject_link(subject_type: str, subject_id: str) -> tuple[str, str]:
    """(label, URL) of the record a document belongs to; a list of ids (an order for several
    hazards) links to the first."""
    label, url = _SUBJECTS.get(subject_type, ("", lambda _id: ""))
    first = str(subject_id).split(",")[0].strip()
    try:
        return label, url(first) if first else ""
    except Exception:  # a record id its app no longer resolves: the row stays, unlinked
        return label, ""


# --- the documents a record owns, in the order of its file (issue 14 item 6) -------------------------------
# The app that owns a record (a case, an inspection with its hazards) tells documents which documents
# belong to it and in what order (LEGAL.md §8): ``provider(user, subject_id)`` returns the bundle's
# title and [(place in the file, document)], reading only what ``user`` may read (NotFound otherwise).
BundleProvider = Callable[[Any, str], tuple[str, list[tuple[str, Any]]]]
_BUNDLES: dict[str, BundleProvider] = {}


def register_bundle(subject_type: str, provider: BundleProvider) -> None:
    _BUNDLES[subject_type] = provider


def bundle_provider(subject_type: str) -> BundleProvider | None:
    return _BUNDLES.get(subject_type)


# --- facts shared by the inspection forms and the penalty-case kinds -----------------------------

XZCF = "《中华人民共和国行政处罚法》"
XZCF_42 = f"{XZCF}第四十二条"
XZCF_59 = f"{XZCF}第五十九条"
AQSCF_65 = "《中华人民共和国安全生产法》第六十五条"
AQSCF_68 = "《中华人民共和国安全生产法》第六十八条"
REMEDIES = "《中华人民共和国行政复议法》第二十条；《中华人民共和国行政诉讼法》第四十六条"


def officers(*, min_items: int = 2, article: str = XZCF_42) -> Fact:
    """The officers who act, each with the number of the enforcement certificate they show."""
    return Fact(
        "officers",
        "执法人员（不少于两名，含姓名和执法证号）",
        type="list",
        min_items=min_items,
        item_facts=(Fact("name", "姓名"), Fact("certificate_no", "执法证号")),
        article=article,
    )


def signature(key: str, label: str, *, article: str = "") -> Fact:
    """Who signs the record on the party's side — or the note that they refused to (AQSCF §68: a
    refusal to sign is recorded, and the record stands)."""
    return Fact(key, label, alternatives=("refusal_note",), article=article)


# XZCF §42: enforcement by officers holding enforcement qualifications, no fewer than two.
OFFICERS = officers()
PARTY_NAME = Fact("party.name", "被检查单位名称")
# A penalty case's own documents: the case (案由) and its party (a unit or a person).
CASE_TITLE = Fact("case_title", "案由")
CASE_PARTY_NAME = Fact("party.name", "当事人")
# The party's remedies are stated on every served decision (XZCF §59(5)): the reconsideration body
# (XZFYF §24: for a county-level department, the county government) and the competent court differ
# per agency and per place (courts may have centralised jurisdiction), so the app supplies them.
REVIEW_BODY = Fact("review_body", "行政复议机关", article=REMEDIES)
COURT = Fact("court", "行政诉讼管辖法院", article=REMEDIES)
REMEDY_FACTS = (REVIEW_BODY, COURT)


def _date(ctx: Mapping[str, Any], key: str) -> dt.date | None:
    value = ctx.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _datetime(ctx: Mapping[str, Any], key: str) -> dt.datetime | None:
    value = ctx.get(key)
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _not_after_issue(key: str, label: str) -> Check:
    def check(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
        day = _date(ctx, key)
        if day is not None and day > issued_on:
            return {key: f"{label}不能晚于文书签发日期。"}
        return {}

    return check


def inspection_time_errors(started_at: dt.datetime | None, ended_at: dt.datetime | None) -> dict[str, str]:
    """The one rule for an inspection's start and end (AQSCF §68: the record states the time).

    Completing an inspection, correcting its times and issuing its 现场检查记录 all call this, so
    an inspection that could be completed can always be recorded: the end is later than the start
    (an inspection of no duration is not a record of a visit).
    """
    if started_at is None:
        return {"started_at": "请填写检查开始时间。"}
    if ended_at is None:
        return {"ended_at": "请填写检查结束时间。"}
    if (started_at.tzinfo is None) != (ended_at.tzinfo is None):
        return {"ended_at": "检查起止时间须同为带时区或同为不带时区的时间。"}
    if ended_at <= started_at:
        return {"ended_at": "检查结束时间须晚于开始时间。"}
    return {}


def _inspection_times(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
    start, end = _datetime(ctx, "started_at"), _datetime(ctx, "ended_at")
    if start is None or end is None:
        return {}
    errors = inspection_time_errors(start, end)
    if errors:
        return errors
    if start.date() > issued_on:
        return {"started_at": "检查开始时间不能晚于记录日期。"}
    return {}


def _rectification_deadline(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
    deadline, inspected = _date(ctx, "deadline"), _date(ctx, "inspection_date")
    if deadline is None:
        return {}
    if inspected is not None and deadline <= inspected:
        return {"deadline": "整改期限须晚于检查日期。"}
    if deadline < issued_on:
        return {"deadline": "整改期限不能早于指令书签发日期。"}
    return {}


def _reinspection_dates(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
    ordered, checked = _date(ctx, "order_date"), _date(ctx, "reinspection_date")
    if ordered is not None and checked is not None and checked < ordered:
        return {"reinspection_date": "复查日期不能早于整改指令书的日期。"}
    return {}


def _conclusion_matches_results(ctx: Mapping[str, Any], issued_on: dt.date) -> dict[str, str]:
    # The opinion may say that everything passed only when every hazard it lists passed.
    results = ctx.get("results") or []
    failed = [r for r in results if isinstance(r, Mapping) and r.get("rectified") is False]
    if failed and "均已整改合格" in str(ctx.get("conclusion", "")):
        return {"conclusion": f"复查意见与复查结果不符：有{len(failed)}项未整改合格，不能写“均已整改合格”。"}
    return {}


# --- the four inspection forms (legacy national set, LEGAL.md §8) --------------------------------

INSPECTION_RECORD = register(
    DocumentKind(
        code="inspection_record",
        name="现场检查记录",
        number_word="检记",
        template="inspection_record.docx",
        template_version="2026.2",
        served=False,  # signed on site by both sides and handed over; no period runs from it
        # AQSCF §68: time, place, content, problems found and their handling, signed by the
        # inspectors and the unit's responsible person; a refusal to sign is recorded.
        basis=AQSCF_68,
        facts=(
            PARTY_NAME,
            Fact("party.address", "被检查单位地址"),
            Fact("party.legal_representative", "法定代表人（负责人）"),
            Fact("place", "检查场所", article=AQSCF_68),
            Fact("started_at", "检查开始时间", type="datetime", article=AQSCF_68),
            Fact("ended_at", "检查结束时间", type="datetime", article=AQSCF_68),
            OFFICERS,
            Fact("content", "检查内容（检查表和检查项数）", article=AQSCF_68),
            Fact("situation", "检查情况", article=AQSCF_68),
            Fact("findings", "检查发现的问题（未发现问题的须明确为空）", type="list", min_items=0, item_facts=(Fact("text", "问题描述"),), article=AQSCF_68),
            Fact("handling", "现场处理情况", article=AQSCF_68),
            signature("party_signer", "被检查单位负责人签名或拒绝签字的记录", article=AQSCF_68),
        ),
        checks=(_inspection_times,),
    )
)

RECTIFICATION_ORDER = register(
    DocumentKind(
        code="rectification_order",
        name="责令限期整改指令书",
        number_word="责改",
        template="rectification_order.docx",
        template_version="2026.2",
        served=True,
        basis=f"{AQSCF_65}第一款第二项、第三项",
        facts=(
            PARTY_NAME,
            Fact("inspection_date", "检查日期", type="date"),
            Fact("problems", "存在的问题（含依据）", type="list", item_facts=(Fact("text", "问题描述"), Fact("basis", "违反的规定"))),
            # One period for every problem — a date ("于2026年12月10日前") or a period that runs
            # from service ("自本指令书送达之日起15日内", the clock started by the proof of
            # service) — or each problem's own period on its row (``period_text``).
            Fact("deadline", "整改期限", type="date", alternatives=("deadline_text", "problems[].period_text")),
            OFFICERS,
            *REMEDY_FACTS,
        ),
        checks=(_not_after_issue("inspection_date", "检查日期"), _rectification_deadline),
    )
)

ONSITE_MEASURE_DECISION = register(
    DocumentKind(
        code="onsite_measure_decision",
        name="现场处理措施决定书",
        number_word="现决",
        template="onsite_measure_decision.docx",
        template_version="2026.2",
        served=True,
        # AQSCF §65 ¶1 (3): where safety cannot be ensured before or during the removal of a major
        # hazard, withdraw the workers and order a temporary stop (unit, area or equipment).
        basis=f"{AQSCF_65}第一款第三项",
        defaults={"legal_basis": f"{AQSCF_65}第一款第三项"},
        facts=(
            PARTY_NAME,
            Fact("inspection_date", "检查日期", type="date"),
            Fact("hazards", "发现的重大事故隐患", type="list", item_facts=(Fact("text", "隐患描述"),)),
            Fact("legal_basis", "法律依据"),
            Fact("measure", "现场处理措施"),
            Fact("scope", "措施范围（全部、区域或设施设备）"),
            OFFICERS,
            *REMEDY_FACTS,
        ),
        checks=(_not_after_issue("inspection_date", "检查日期"),),
    )
)

REINSPECTION_OPINION = register(
    DocumentKind(
        code="reinspection_opinion",
        name="整改复查意见书",
        number_word="复查",
        template="reinspection_opinion.docx",
        template_version="2026.2",
        served=True,
        basis=f"{AQSCF_65}第一款第二项、第三项",
        facts=(
            PARTY_NAME,
            Fact("order_number", "整改指令书文号"),
            Fact("order_date", "整改指令书日期", type="date"),
            Fact("reinspection_date", "复查日期", type="date"),
            Fact("results", "逐项复查结果", type="list", item_facts=(Fact("text", "问题描述"), Fact("rectified", "是否已整改", type="bool"))),
            Fact("conclusion", "复查意见"),
            OFFICERS,
        ),
        checks=(_not_after_issue("reinspection_date", "复查日期"), _reinspection_dates, _conclusion_matches_results),
    )
)


# The penalty-case kinds, one module per stage (imported last: they use the names above).
from anjian.documents import casekinds  # noqa: E402, F401
