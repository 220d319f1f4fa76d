"""The case file (案卷): its documents in the official order, its index and cover, the download,
the case-file review's veto items (案卷评查否决项), and the daily reminders to the handlers.

Law and sources (LEGAL.md §8, legacy national set, status S):

* the order of a general-procedure case file: 卷内目录 → 处罚决定书 → 立案审批表 → 询问通知书/笔录 →
  勘验笔录 → 抽样取证凭证 → 先行登记保存 → 现场检查记录 → 责令改正指令书 → 整改复查意见书 → 强制措施决定书
  → 鉴定委托书 → 处罚告知书 → 陈述申辩记录 → 听证文书 → 案件处理呈批表 → 集体讨论记录 → 催缴通知书 →
  延期/分期文书 → 送达回执 → 强制执行申请书 → 结案审批表 → 罚款收据 → 证照及身份证明复印件
  (``FILE_ORDER``); case files are kept permanently;
* the veto items of the case-file review: unlawful enforcement body; officer without
  qualification; case not transferred when it had to be; insufficient evidence; unclear facts;
  wrong characterisation; wrong law; unlawful procedure; fewer than two officers (``veto_check``).

The veto check reads the case's records (not the documents' text). An item the records cannot
decide is reported as "无法检查" with the reason, never passed silently; closing is refused while
any item fails (``closing_refusal``, called by ``services.case_close``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anjian.cases import paperwork, services
from anjian.cases.choices import NEXT_STEP, OPEN_STATUSES, CaseStatus, ExtensionStatus, HearingOutcome, NoPenaltyGround, PartyType, Procedure
from anjian.cases.models import Case, CaseDeadline, CaseOfficer, CollectiveDiscussion, Hearing, LegalReview, Notice, Payment, Statement, Waiver
from anjian.cases.models_casefile import DocumentPages, Reminder
from anjian.core.errors import DomainError
from anjian.documents import registry
from anjian.documents.choices import DocumentStatus, ServiceStatus
from anjian.documents.models import IssuedDocument, ServiceRecord
from anjian.documents.rendering import cn_date, common_context, convert_to_pdf, pdf_available, render_docx, sha256_hex
from anjian.law.catalogue import default_catalogue
from anjian.law.errors import LawError
from anjian.law.money import amount_cn, yuan
from anjian.law.procedure import PenaltyKind
from anjian.legal import lawcal
from anjian.org.models import Staff

XZCF = "《中华人民共和国行政处罚法》"
# The party as the cover, the index and the closing approval name it: its name and, for a unit, its
# registered address.
PARTY_FIELDS: tuple[paperwork.PartyField, ...] = ("name", "address")
# What the case file reads of the case itself (the party, the agency, where the case came from),
# selected with it by the pages and the API that show the file.
CASE_RELATED = ("owner_agency", "enterprise", "jurisdiction", "finding", "hazard")
SOURCE_S8 = "LEGAL.md §8（安全生产监管监察执法文书式样，案卷顺序与案卷评查否决项）"

# --- the order of the case file -------------------------------------------------------------------------
# (label of the place in the file, the document kind codes filed there), in the order of LEGAL.md §8.
# Kinds not named there are placed where noted; any other kind goes after these, by date.
FILE_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("卷内目录", ("case_file_index",)),
    ("行政处罚决定书", ("penalty_decision_unit", "penalty_decision_person", "penalty_decision_onsite")),
    ("立案审批表", ("case_filing_approval",)),
    ("询问通知书、询问笔录", ("interview_notice", "interview_record")),
    ("勘验笔录", ("survey_record",)),
    ("抽样取证凭证", ("sampling_voucher",)),
    ("先行登记保存证据文书", ("preservation_notice", "preservation_decision")),
    ("现场检查记录", ("inspection_record",)),
    ("责令改正指令书", ("rectification_order",)),
    ("整改复查意见书", ("reinspection_opinion",)),
    # 现场处理措施决定书 (AQSCF §65) is not named in the order; it is filed with the measures.
    ("强制措施决定书", ("onsite_measure_decision",)),
    ("鉴定委托书", ()),  # no kind registered yet
    ("行政处罚告知书", ("penalty_notice", "hearing_right_notice")),
    ("陈述申辩记录", ("defence_record", "waiver_statement")),
    ("听证文书", ("hearing_meeting_notice", "hearing_record", "hearing_report")),
    # 调查报告 is not named in the order; it is filed with the 呈批表 that rests on it.
    ("案件处理呈批表", ("investigation_report", "case_handling_approval")),
    ("集体讨论记录", ("collective_discussion_record",)),
    # 履行行政决定催告书 (a newer form) urges performance like the 催缴通知书.
    ("罚款催缴通知书", ("fine_demand_notice", "performance_reminder")),
    ("延期（分期）缴纳罚款文书", ("deferral_approval",)),
    ("文书送达回执", ()),  # the proofs of service (documents.ServiceRecord), not a kind
    # 案件移送书 is not named in the order; it ends the procedure like the application to the court.
    ("强制执行申请书", ("enforcement_application", "case_referral")),
    ("结案审批表", ("closing_approval",)),
    ("罚款收据", ()),  # the payments recorded (cases.Payment)
    ("证照及身份证明复印件、其他证据材料", ()),  # evidence files (``EVIDENCE_SOURCES``)
)
PLACE: dict[str, int] = {code: i for i, (_, codes) in enumerate(FILE_ORDER) for code in codes}
SERVICE_PLACE = next(i for i, (label, _) in enumerate(FILE_ORDER) if label == "文书送达回执")
PAYMENT_PLACE = next(i for i, (label, _) in enumerate(FILE_ORDER) if label == "罚款收据")
EVIDENCE_PLACE = len(FILE_ORDER) - 1
WAIVER_PLACE = PLACE["waiver_statement"]
UNKNOWN_PLACE = len(FILE_ORDER)
# The documents of the case's source (the inspection or hazard it came from) belong in the file too.
SOURCE_KINDS = ("inspection_record", "rectification_order", "reinspection_opinion", "onsite_measure_decision")


@dataclass
class FileEntry:
    """One item of the case file: an issued document, a scan, a proof of service or a receipt."""

    place: int
    title: str
    date: dt.date
    number: str = ""
    kind: str = ""
    document_id: int | None = None
    file: Any = None  # a FieldFile to put in the download
    file_name: str = ""
    sha256: str = ""
    pages: int | None = None
    note: str = ""
    order: tuple[Any, ...] = ()

    def sort_key(self) -> tuple[Any, ...]:
        return (self.place, self.date, *self.order)


# Further sources of evidence files (the evidence stage adds its own): case → entries.
EVIDENCE_SOURCES: list[Callable[[Case], list[FileEntry]]] = []


def _evidence_files(case: Case) -> list[FileEntry]:
    """The photos, recordings and scans of the evidence stage (``cases.EvidenceFile``), content-checked
    with their SHA-256, at the end of the file (LEGAL.md §8: 证照及身份证明复印件、其他证据材料)."""
    from anjian.cases.models_evidence import EvidenceFile

    return [
        FileEntry(
            place=EVIDENCE_PLACE, title=f"证据材料：{f.description[:60]}", date=f.collected_on, kind="evidence_file", file=f.file,
            file_name=f.original_name, sha256=f.sha256, note=f"{f.get_kind_display()}，来源：{f.source}", order=(f.pk,),
        )  # fmt: skip
        for f in EvidenceFile.objects.filter(case=case).order_by("collected_on", "id")
    ]


EVIDENCE_SOURCES.append(_evidence_files)


def case_documents(case: Case) -> list[IssuedDocument]:
    """The live documents of the case and of its source inspection, hazard or transfer."""
    q = Q(subject_type=paperwork.SUBJECT_TYPE, subject_id=str(case.pk))
    inspection_id = None
    if case.finding is not None:
        inspection_id = case.finding.inspection_id
    elif case.hazard is not None:
        inspection_id = case.hazard.inspection_id
        # A rectification order names all its hazards: subject_id "12,13,14".
        h = str(case.hazard_id)
        ids = Q(subject_id=h) | Q(subject_id__startswith=f"{h},") | Q(subject_id__endswith=f",{h}") | Q(subject_id__contains=f",{h},")
        q |= Q(ids, subject_type="hazards.hazard", kind__in=SOURCE_KINDS)
    if inspection_id:
        q |= Q(subject_type="inspections.inspection", subject_id=str(inspection_id), kind__in=SOURCE_KINDS)
    if case.transfer_id:
        # A transfer (局队合一) carries the findings of one or more inspections.
        from anjian.inspections.models import Finding

        inspections: list[str] = [str(i) for i in Finding.objects.filter(transfers=case.transfer_id).values_list("inspection_id", flat=True).distinct()]
        if inspections:
            q |= Q(subject_type="inspections.inspection", subject_id__in=inspections, kind__in=SOURCE_KINDS)
    return list(IssuedDocument.objects.filter(q, status=DocumentStatus.ISSUED).order_by("issued_on", "issued_at", "id"))


def file_entries(case: Case, documents: Sequence[IssuedDocument] | None = None) -> list[FileEntry]:
    """Every item of the case file in the order of ``FILE_ORDER`` (the index itself not included)."""
    docs = list(documents) if documents is not None else case_documents(case)
    pages = {p.document_id: p for p in DocumentPages.objects.filter(document__in=docs)}
    entries: list[FileEntry] = []
    for d in docs:
        known = pages.get(d.pk)
        entries.append(
            FileEntry(
                place=PLACE.get(d.kind, UNKNOWN_PLACE),
                title=d.title,
                date=d.issued_on,
                number=d.number,
                kind=d.kind,
                document_id=d.pk,
                file=d.file,
                file_name=d.download_name,
                sha256=d.sha256,
                pages=known.pages if known and known.sha256 == d.sha256 else None,
                order=(d.issued_at, d.pk),
            )  # fmt: skip
        )
    doc_ids = [d.pk for d in docs]
    for r in ServiceRecord.objects.filter(document_id__in=doc_ids, status=ServiceStatus.EFFECTIVE).select_related("document").order_by("served_on", "id"):
        entries.append(
            FileEntry(
                place=SERVICE_PLACE,
                title=f"送达回执（{r.document.title}）",
                date=r.served_on,
                number=r.document.number,
                kind="service_record",
                file=r.scan or None,
                file_name=f"送达回执-{r.document.number}{_ext(r.scan.name) if r.scan else ''}",
                note=f"{r.get_method_display()}，受送达人{r.recipient}" + ("" if r.scan else "；回执原件另附"),
                order=(r.pk,),
            )  # fmt: skip
        )
    for w in Waiver.objects.filter(case=case).order_by("signed_on", "id"):
        entries.append(
            FileEntry(
                place=WAIVER_PLACE,
                title="放弃陈述申辩声明（签字扫描件）",
                date=w.signed_on,
                kind="waiver_scan",
                file=w.scan,
                file_name=f"放弃陈述申辩声明-{w.signed_on:%Y%m%d}{_ext(w.original_name)}",
                sha256=w.sha256,
                note=f"签署人{w.signer}",
                order=(w.pk,),
            )  # fmt: skip
        )
    for pay in Payment.objects.filter(case=case).order_by("paid_on", "id"):
        entries.append(
            FileEntry(
                place=PAYMENT_PLACE,
                title="罚款收据",
                date=pay.paid_on,
                number=pay.receipt_no,
                kind="payment_receipt",
                note=f"缴纳{yuan(pay.amount)}" + ("（当场收缴）" if pay.onsite else "") + "；收据原件另附",
                order=(pay.pk,),
            )  # fmt: skip
        )
    for source in EVIDENCE_SOURCES:
        entries.extend(source(case))
    return sorted(entries, key=FileEntry.sort_key)


def _ext(name: str) -> str:
    m = re.search(r"\.[A-Za-z0-9]{1,5}$", name or "")
    return m.group(0).lower() if m else ""


# --- the index and the cover ---------------------------------------------------------------------------
PAGES_NOTE_NO_PDF = "服务器未安装LibreOffice，无法统计页数，页次空缺，请打印后手工填写。"
PAGES_NOTE_PENDING = "部分文书尚未统计页数（可在案卷页面点击“统计页数”），页次空缺的请打印后手工填写。"
PAGES_NOTE_NO_FILE = "无电子文件的材料（原件另附）不计页次。"


@dataclass
class CaseFile:
    case: Case
    entries: list[FileEntry]
    rows: list[dict[str, Any]]
    pages_note: str
    page_total: int | None
    veto: list[VetoItem] = field(default_factory=list)


def build_file(case: Case, *, with_veto: bool = True) -> CaseFile:
    """The index rows (序号, 文书名称, 文号, 日期, 页次) and the veto results of one case."""
    docs = case_documents(case)
    entries = file_entries(case, docs)
    rows: list[dict[str, Any]] = []
    page = 1
    counting = pdf_available()
    complete = counting
    for i, e in enumerate(entries, start=1):
        span = ""
        if e.pages is not None and complete:
            span = str(page) if e.pages == 1 else f"{page}–{page + e.pages - 1}"
            page += e.pages
        elif e.file is not None:
            complete = False  # a page number after an uncounted document would be a guess
        rows.append({"seq": i, "title": e.title, "number": e.number, "date": e.date, "pages": span, "note": e.note, "kind": e.kind, "document_id": e.document_id})
    if not counting:
        note = PAGES_NOTE_NO_PDF
    elif not complete:
        note = PAGES_NOTE_PENDING
    else:
        note = PAGES_NOTE_NO_FILE if any(e.file is None for e in entries) else ""
    return CaseFile(case=case, entries=entries, rows=rows, pages_note=note, page_total=(page - 1) if counting and complete else None,
                    veto=veto_check(case, documents=docs) if with_veto else [])  # fmt: skip


def result_text(case: Case) -> str:
    """处理结果 as the closing approval and the cover state it."""
    if case.status == CaseStatus.WITHDRAWN:
        return f"不予立案或撤销立案：{case.end_reason}"
    if case.no_penalty_ground:
        return f"不予行政处罚：{NoPenaltyGround(case.no_penalty_ground).label}。{case.end_reason}"
    if case.referred_to:
        return f"移送{case.referred_to}：{case.end_reason}"
    if case.decided_on is None:
        return "尚未作出处理决定"
    parts: list[str] = []
    if case.fine_total:
        parts.append(f"罚款{yuan(case.fine_total)}（{amount_cn(case.fine_total)}）")
    kinds: list[str] = []
    for v in case.violations.all():
        kinds.extend(PenaltyKind(k).label for k in v.other_kinds if PenaltyKind(k).label not in kinds)
    parts.extend(kinds)
    procedure = "（简易程序）" if case.procedure == Procedure.SUMMARY else ""
    return f"{cn_date(case.decided_on)}作出行政处罚决定{procedure}：" + "、".join(parts or ["无罚款"])


def execution_text(case: Case) -> str:
    payments = list(Payment.objects.filter(case=case).order_by("paid_on", "id"))
    if payments:
        return (
            "；".join(f"{cn_date(p.paid_on)}缴纳{yuan(p.amount)}（缴款凭证号{p.receipt_no}）" + (f"，含加处罚款{yuan(p.surcharge)}" if p.surcharge else "") for p in payments)
            + "，已履行完毕。"
        )
    if case.decided_on is not None and not case.fine_total:
        return "未处罚款，无须缴纳。"
    if case.decided_on is None:
        return "无须执行。"
    return "尚未履行。"


def _decision_number(case: Case, docs: Iterable[IssuedDocument]) -> str:
    for d in docs:
        if d.kind in DECISION_KINDS:
            return d.number
    return ""


def cover_context(cf: CaseFile) -> dict[str, Any]:
    c = cf.case
    officers = paperwork.officer_facts(c)
    return {
        "case_title": c.title,
        "party": paperwork.party_facts(c, fields=PARTY_FIELDS, unit_address="registered"),
        "decision_number": next((r["number"] for r in cf.rows if r["kind"] in DECISION_KINDS), ""),
        "filed_on": c.filed_on.isoformat() if c.filed_on else "",
        "closed_on": c.closed_on.isoformat() if c.closed_on else "",
        "result": result_text(c),
        "officer_names": "、".join(o["name"] for o in officers) or "（未指派）",
        "officers": officers,
        "item_count": len(cf.rows) + 1,  # with the index itself
        "page_total": cf.page_total or "",
        "retention": "永久",
        "retention_basis": "行政处罚案卷永久保存（LEGAL.md §8）",
    }


def index_context(cf: CaseFile) -> dict[str, Any]:
    rows = [{"seq": 1, "title": "卷内目录", "number": "", "date": timezone.localdate().isoformat(), "pages": ""}]
    rows += [{"seq": r["seq"] + 1, "title": r["title"], "number": r["number"], "date": r["date"].isoformat(), "pages": r["pages"]} for r in cf.rows]
    officers = paperwork.officer_facts(cf.case)
    return {"case_title": cf.case.title, "party": paperwork.party_facts(cf.case, fields=PARTY_FIELDS, unit_address="registered"), "rows": rows, "pages_note": cf.pages_note, "officers": officers}


def render_unnumbered(kind_code: str, context: dict[str, Any], case: Case) -> bytes:
    """The cover or the index as of today: rendered from the records, not a numbered document."""
    from anjian.documents import facts

    kind = registry.get(kind_code)
    today = timezone.localdate()
    merged = {**kind.defaults, **context}
    facts.validate(kind, merged, issued_on=today)
    common = common_context(kind=kind, agency_name=case.owner_agency.name, doc_abbr=case.owner_agency.doc_abbr, number="", year=today.year, seq=1, issued_on=today)
    return render_docx(kind, facts.normalise(merged), common)


def case_file_zip(case: Case) -> bytes:
    """The whole file as a zip: the index first, then the cover, then every item in order.

    Each stored document is checked against its SHA-256 before it goes in; one changed on disk is
    left out and named in 缺失文件说明.txt (as ``documents.views.document_download`` refuses it)."""
    cf = build_file(case, with_veto=False)
    out = io.BytesIO()
    problems: list[str] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("000-卷内目录.docx", render_unnumbered("case_file_index", index_context(cf), case))
        z.writestr("001-案卷首页.docx", render_unnumbered("case_file_cover", cover_context(cf), case))
        for row, e in zip(cf.rows, cf.entries, strict=True):
            if e.file is None:
                continue
            name = f"{row['seq'] + 1:03d}-{_safe_name(e.file_name or e.title)}"
            try:
                with e.file.open("rb") as fh:
                    data = fh.read()
            except (FileNotFoundError, ValueError, OSError):
                problems.append(f"第{row['seq'] + 1}项《{e.title}》{e.number}：文件缺失。")
                continue
            if e.sha256 and sha256_hex(data) != e.sha256:
                problems.append(f"第{row['seq'] + 1}项《{e.title}》{e.number}：文件与签发时的校验值不符，未收入。")
                continue
            z.writestr(name, data)
        if problems:
            z.writestr("缺失文件说明.txt", "\n".join(problems) + "\n")
    return out.getvalue()


def _safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name)[:120]


def zip_name(case: Case) -> str:
    return f"案卷-{case.pk}-{_safe_name(case.title)[:40]}.zip"


# --- page counts (LibreOffice; a background task, rule 9) -------------------------------------------------
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def pdf_page_count(pdf: bytes) -> int | None:
    """Pages of a PDF as LibreOffice writes it (one ``/Type /Page`` object per page)."""
    n = len(_PAGE.findall(pdf))
    return n or None


def count_pages(case: Case) -> int:
    """Count the pages of the case's documents not yet counted for their current content."""
    if not pdf_available():
        return 0
    done = 0
    for d in case_documents(case):
        known = DocumentPages.objects.filter(document=d).first()
        if known is not None and known.sha256 == d.sha256:
            continue
        try:
            with d.file.open("rb") as fh:
                data = fh.read()
            pages = pdf_page_count(convert_to_pdf(data))
        except (DomainError, OSError, ValueError):
            continue
        if pages is None:
            continue
        DocumentPages.objects.update_or_create(document=d, defaults={"sha256": d.sha256, "pages": pages})
        done += 1
    return done


# --- the veto check (案卷评查否决项) ---------------------------------------------------------------------
PASSED, FAILED, UNCHECKED, NOT_APPLICABLE = "passed", "failed", "unchecked", "not_applicable"
STATUS_LABELS = {PASSED: "通过", FAILED: "不合格", UNCHECKED: "无法检查", NOT_APPLICABLE: "不适用"}
DECISION_KINDS = ("penalty_decision_unit", "penalty_decision_person", "penalty_decision_onsite")
NOTICE_KINDS = ("penalty_notice",)


@dataclass(frozen=True)
class VetoItem:
    code: str
    title: str
    status: str
    message: str
    article: str
    veto: str  # the veto item of LEGAL.md §8 it belongs to

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "status_label": self.status_label,
            "message": self.message,
            "article": self.article,
            "veto": self.veto,
        }


PROCEDURE = "程序违法"


def _registered(codes: Iterable[str]) -> bool:
    known = {k.code for k in registry.kinds()}
    return any(c in known for c in codes)


def veto_check(case: Case, *, documents: Sequence[IssuedDocument] | None = None) -> list[VetoItem]:
    """Every veto item of the case-file review (LEGAL.md §8) over the case's records, in order.

    A constant number of queries per case. Items that need a reviewer's judgement of the evidence
    (insufficient evidence, unclear facts beyond their presence, whether a crime had to be
    transferred) are "无法检查" with the reason; they do not block closing, the failed ones do."""
    c = case
    docs = list(documents) if documents is not None else case_documents(c)
    out: list[VetoItem] = []

    def add(code: str, title: str, status: str, message: str, article: str, veto: str) -> None:
        out.append(VetoItem(code, title, status, message, article, veto))

    officers = list(CaseOfficer.objects.filter(case=c, active=True).select_related("staff").order_by("order", "id"))
    violations = list(c.violations.all().order_by("act_group", "id"))
    decided = c.decided_on is not None
    general = c.procedure == Procedure.GENERAL
    notice = Notice.objects.filter(case=c).order_by("-issued_on", "-id").first() if general else None

    # 1. The enforcement body (行政处罚法第二十二条: the agency where the act occurred, within its powers).
    art = f"{XZCF}第二十二条"
    wrong_docs = [d.number for d in docs if d.subject_type == paperwork.SUBJECT_TYPE and d.agency_id != c.owner_agency_id]
    if wrong_docs:
        add("enforcement_body", "执法主体合法", FAILED, f"卷内文书{'、'.join(wrong_docs)}不是以办案机关{c.owner_agency.name}的名义制作的。", art, "执法主体不合法")
    elif c.enterprise is not None and c.owner_agency_id not in (c.enterprise.owner_agency_id, c.enterprise.subject_agency_id):
        add("enforcement_body", "执法主体合法", FAILED, f"{c.owner_agency.name}不是“{c.enterprise.name}”的管理机关或年度计划执法主体。", art, "执法主体不合法")
    elif c.enterprise is None:
        add("enforcement_body", "执法主体合法", UNCHECKED, "当事人为自然人且未登记所在单位，无法核对管辖。", art, "执法主体不合法")
    else:
        add("enforcement_body", "执法主体合法", PASSED, f"{c.owner_agency.name}对当事人有管辖权，卷内文书均以其名义制作。", art, "执法主体不合法")

    # 2. Fewer than two officers (行政处罚法第四十二条、第五十五条).
    art = f"{XZCF}第四十二条；{XZCF}第五十五条"
    valid = [o for o in officers if o.valid]
    if len(valid) < 2:
        add("officers_two", "执法人员不少于两人", FAILED, f"本案有效承办人员{len(valid)}人，执法人员不得少于两人。", art, "执法人员少于两人")
    else:
        add("officers_two", "执法人员不少于两人", PASSED, "承办人员：" + "、".join(o.staff.name for o in valid) + "。", art, "执法人员少于两人")

    # 3. Officers' qualification: a certificate valid when checked, and on the day of the decision.
    art = f"{XZCF}第四十二条"
    invalid = [o for o in officers if not o.valid]
    if invalid:
        add("officer_qualification", "执法人员具备执法资格", FAILED, "；".join(f"{o.staff.name}：{o.check_result}" for o in invalid) + "。", art, "执法人员不具备执法资格")
    elif len(officers) >= 2 and decided:
        from anjian.inspections.services import check_officers

        assert c.decided_on is not None
        try:
            check_officers(agency=c.owner_agency, staff_ids=[o.staff_id for o in officers], day=c.decided_on)
        except DomainError as exc:
            add("officer_qualification", "执法人员具备执法资格", FAILED, f"作出决定之日（{cn_date(c.decided_on)}）：{exc.message}", art, "执法人员不具备执法资格")
        else:
            add(
                "officer_qualification", "执法人员具备执法资格", PASSED, f"承办人员的执法证在指派时和作出决定之日（{cn_date(c.decided_on)}）均有效。", art, "执法人员不具备执法资格"
            )
    elif officers:
        add("officer_qualification", "执法人员具备执法资格", PASSED, "承办人员的执法证在指派时有效。", art, "执法人员不具备执法资格")
    else:
        add("officer_qualification", "执法人员具备执法资格", FAILED, "本案没有承办人员。", art, "执法人员不具备执法资格")

    # 4. Transfer of a suspected crime (行政处罚法第二十七条).
    art = f"{XZCF}第二十七条"
    if c.referred_to:
        add("referral", "涉嫌犯罪的依法移送", PASSED, f"已移送{c.referred_to}。", art, "应当移送而未移送")
    else:
        add("referral", "涉嫌犯罪的依法移送", UNCHECKED, "系统未记录是否涉嫌犯罪的判断，须由评查人员审阅案卷认定。", art, "应当移送而未移送")

    # 5. Evidence (行政处罚法第四十条: facts unclear or evidence insufficient — no penalty).
    art = f"{XZCF}第四十条"
    add("evidence", "证据充分", UNCHECKED, "证据是否确凿充分须由评查人员审阅卷内证据认定（卷内证据材料见目录）。", art, "证据不足")

    # 6. Facts: stated, with the violations they rest on.
    if not c.facts.strip() or not violations:
        add("facts", "事实清楚", FAILED, "案件没有写明违法事实或没有登记违法行为。", art, "事实不清")
    else:
        add("facts", "事实清楚", UNCHECKED, "已写明违法事实并登记违法行为；事实是否清楚须由评查人员审阅认定。", art, "事实不清")

    # 7. Characterisation: each violation is in the catalogue on its date, against the right subject.
    art = f"{XZCF}第四条；《中华人民共和国安全生产法》第六章"
    wrong: list[str] = []
    cat = default_catalogue()
    for v in violations:
        try:
            cat.violation(v.violation_id, v.act_date)
        except LawError as exc:
            wrong.append(f"{v.violation_id}：{exc.message}")
            continue
        if (c.party_type == PartyType.UNIT) != (v.subject == "unit"):
            wrong.append(f"{v.violation_id}：处罚对象与当事人不一致")
    if wrong:
        add("characterisation", "定性准确", FAILED, "；".join(wrong) + "。", art, "定性错误")
    elif violations:
        add("characterisation", "定性准确", PASSED, "违法行为均在处罚目录中（违法行为发生时有效），处罚对象与当事人一致。", art, "定性错误")
    else:
        add("characterisation", "定性准确", FAILED, "没有登记违法行为。", art, "定性错误")

    # 8. The law applied: the amounts inside the applicable range, or below it on a §32 ground with
    # the collective discussion's approval (行政处罚法第三十二条、第三十七条、第五十七条).
    art = f"{XZCF}第三十二条；{XZCF}第三十七条"
    if not decided:
        add("law_applied", "适用法律正确", NOT_APPLICABLE, "未作出行政处罚决定。", art, "适用法律错误")
    else:
        mitigation_ok = CollectiveDiscussion.objects.filter(case=c, approves_mitigation=True, held_on__lte=c.decided_on).exists()
        bad: list[str] = []
        assert c.decided_on is not None
        for v in violations:
            if v.proposed_amount is None:
                continue
            # The range of the law applicable on the day of the decision (行政处罚法第三十七条).
            try:
                services._check_amount(v, v.proposed_amount, c.decided_on, collectively_approved=mitigation_ok)
            except DomainError as exc:
                bad.append(exc.message.rstrip("。"))
        if bad:
            add("law_applied", "适用法律正确", FAILED, "；".join(bad) + "。", art, "适用法律错误")
        else:
            add("law_applied", "适用法律正确", PASSED, "罚款数额均在适用的法定幅度内（或依法减轻并经集体讨论）。", art, "适用法律错误")

    # 9. The procedure (程序违法), item by item.
    out.extend(_procedure_items(c, docs=docs, notice=notice, decided=decided, general=general))
    return out


def _procedure_items(c: Case, *, docs: Sequence[IssuedDocument], notice: Notice | None, decided: bool, general: bool) -> list[VetoItem]:
    items: list[VetoItem] = []

    def add(code: str, title: str, status: str, message: str, article: str) -> None:
        items.append(VetoItem(code, title, status, message, article, PROCEDURE))

    na_decision = "未作出行政处罚决定。"
    na_summary = "简易程序当场作出决定，当场听取陈述申辩（行政处罚法第五十二条）。"
    kinds = {d.kind for d in docs if d.subject_type == paperwork.SUBJECT_TYPE}
    decided_on = c.decided_on

    # The notice before the decision (§44, §62).
    art = f"{XZCF}第四十四条；{XZCF}第六十二条"
    if not decided:
        add("notice_served", "作出决定前告知并送达告知书", NOT_APPLICABLE, na_decision, art)
    elif not general:
        add("notice_served", "作出决定前告知并送达告知书", NOT_APPLICABLE, na_summary, art)
    elif notice is None or notice.served_on is None:
        add("notice_served", "作出决定前告知并送达告知书", FAILED, "行政处罚告知书未送达当事人即作出决定。", art)
    elif decided_on is not None and notice.served_on > decided_on:
        add("notice_served", "作出决定前告知并送达告知书", FAILED, f"告知书{cn_date(notice.served_on)}送达，晚于决定日期{cn_date(decided_on)}。", art)
    else:
        add("notice_served", "作出决定前告知并送达告知书", PASSED, f"告知书于{cn_date(notice.served_on)}送达。", art)

    waiver = None
    if notice is not None and decided_on is not None:
        waiver = Waiver.objects.filter(notice=notice, signed_on__lte=decided_on).order_by("signed_on", "id").first()
    deadlines = {d.code: d for d in CaseDeadline.objects.filter(case=c, active=True)}

    # The defence window (§62; the old 办法's 3 days, LEGAL.md §2).
    art = f"{XZCF}第六十二条"
    if not decided or not general or notice is None or notice.served_on is None:
        add(
            "defence_window", "陈述申辩期限届满或书面放弃后决定", NOT_APPLICABLE, na_decision if not decided else (na_summary if not general else "告知书未送达（见上一项）。"), art
        )
    else:
        row = deadlines.get("defence_statement")
        if row is None:
            add("defence_window", "陈述申辩期限届满或书面放弃后决定", UNCHECKED, "未记录陈述申辩期限。", art)
        elif decided_on is not None and decided_on <= row.due and waiver is None:
            add(
                "defence_window",
                "陈述申辩期限届满或书面放弃后决定",
                FAILED,
                f"陈述申辩期限至{cn_date(row.due)}届满，当事人未书面放弃，{cn_date(decided_on)}即作出决定。",
                f"{art}；{row.article}",
            )
        else:
            how = (
                f"当事人于{cn_date(waiver.signed_on)}书面放弃" if waiver is not None and decided_on is not None and decided_on <= row.due else f"期限于{cn_date(row.due)}届满后决定"
            )
            add("defence_window", "陈述申辩期限届满或书面放弃后决定", PASSED, how + "。", f"{art}；{row.article}")

    # Every statement and defence reviewed (§45).
    art = f"{XZCF}第四十五条"
    if not decided or not general:
        add("defence_reviewed", "陈述申辩经复核", NOT_APPLICABLE, na_decision if not decided else na_summary, art)
    else:
        open_ = Statement.objects.filter(case=c, review="", received_on__lte=decided_on).count()
        if open_:
            add("defence_reviewed", "陈述申辩经复核", FAILED, f"有{open_}项陈述申辩未经复核即作出决定。", art)
        else:
            add("defence_reviewed", "陈述申辩经复核", PASSED, "当事人提出的陈述申辩均已复核（或未提出）。", art)

    # The hearing (§63, §64): offered where required, held when requested in time.
    art = f"{XZCF}第六十三条；{XZCF}第六十四条"
    if not decided or not general or notice is None:
        add("hearing", "依法告知并组织听证", NOT_APPLICABLE, na_decision if not decided else (na_summary if not general else "告知书未送达（见上一项）。"), art)
    else:
        hearing = Hearing.objects.filter(notice=notice).order_by("-id").first()
        required, _ = services.hearing_requirement(c, notice.issued_on)
        if required.required and not notice.hearing_offered:
            add("hearing", "依法告知并组织听证", FAILED, "拟作出的处罚属于应当告知听证权利的情形，告知书未告知听证权利。", art)
        elif hearing is not None and (not hearing.outcome or (decided_on is not None and hearing.held_on is not None and hearing.held_on > decided_on)):
            add("hearing", "依法告知并组织听证", FAILED, "当事人依法申请了听证，听证结束前即作出决定。", art)
        elif hearing is None and notice.hearing_offered and not (waiver and waiver.waives_hearing):
            row = deadlines.get("hearing_request")
            if row is None:
                add("hearing", "依法告知并组织听证", UNCHECKED, "未记录申请听证期限。", art)
            elif decided_on is not None and decided_on <= row.due:
                add("hearing", "依法告知并组织听证", FAILED, f"申请听证期限至{cn_date(row.due)}届满，当事人未书面放弃，期限届满前即作出决定。", art)
            else:
                add("hearing", "依法告知并组织听证", PASSED, "已告知听证权利，当事人未在期限内申请听证。", art)
        elif hearing is not None:
            add("hearing", "依法告知并组织听证", PASSED, f"听证：{HearingOutcome(hearing.outcome).label}。", art)
        else:
            add("hearing", "依法告知并组织听证", PASSED, "不属于应当告知听证的情形，或当事人书面放弃听证。" if not notice.hearing_offered or waiver else "已告知听证权利。", art)

    # Legal review (§58) and collective discussion (§57 ¶2) where required.
    for code, title, fn, model, what, article in (
        ("legal_review", "依法进行法制审核", services.legal_review_requirement, LegalReview, "法制审核", f"{XZCF}第五十八条"),
        ("collective", "依法集体讨论", services.collective_requirement, CollectiveDiscussion, "集体讨论", f"{XZCF}第五十七条第二款"),
    ):
        if not decided or not general:
            add(code, title, NOT_APPLICABLE, na_decision if not decided else "简易程序不适用。", article)
            continue
        assert decided_on is not None
        req = fn(c, decided_on)
        if not req.required:
            add(code, title, NOT_APPLICABLE, f"本案不属于应当{what}的情形。", article)
            continue
        why = "；".join(r.text for r in req.reasons)
        if model is LegalReview:
            review = LegalReview.objects.filter(case=c, reviewed_on__lte=decided_on).order_by("-reviewed_on", "-id").first()
            ok = review is not None and review.passed
        else:
            ok = CollectiveDiscussion.objects.filter(case=c, held_on__lte=decided_on).exists()
        if ok:
            add(code, title, PASSED, f"应当{what}（{why}），已于决定前{what}。", article)
        else:
            add(code, title, FAILED, f"应当{what}（{why}），决定前未{what}或{what}未通过。", article)

    # The time limit (§60): within the limit, or an extension the head approved.
    art = f"{XZCF}第六十条"
    if not decided or not general:
        add("decision_deadline", "在办案期限内作出决定", NOT_APPLICABLE, na_decision if not decided else "简易程序当场作出决定。", art)
    else:
        row = deadlines.get("decision_deadline")
        approved = c.extensions.filter(status=ExtensionStatus.APPROVED).exists()
        if row is None:
            add("decision_deadline", "在办案期限内作出决定", UNCHECKED, "未记录作出处罚决定的期限。", art)
        elif decided_on is not None and decided_on > row.due:
            add("decision_deadline", "在办案期限内作出决定", FAILED, f"办案期限于{cn_date(row.due)}届满，{cn_date(decided_on)}才作出决定，且无经批准的延期。", row.article)
        else:
            add("decision_deadline", "在办案期限内作出决定", PASSED, f"在期限{cn_date(row.due)}内作出决定" + ("（经批准延长）。" if approved else "。"), row.article)

    # Not above the notice (§44, §62; and §45 after a defence).
    art = f"{XZCF}第四十四条；{XZCF}第四十五条；{XZCF}第六十二条"
    if not decided or not general or notice is None:
        add("not_above_notice", "决定不高于告知的处罚", NOT_APPLICABLE, na_decision if not decided else (na_summary if not general else "告知书未送达（见上一项）。"), art)
    else:
        told = {int(r["violation"]): (Decimal(r["amount"]) if r.get("amount") is not None else None, set(r.get("kinds", []))) for r in notice.proposal}
        above: list[str] = []
        for v in c.violations.all():
            amount, kinds_told = told.get(v.pk, (None, set()))
            if v.proposed_amount is not None and (amount is None or v.proposed_amount > amount):
                above.append(f"{v.violation_id}罚款{yuan(v.proposed_amount)}高于告知的{yuan(amount) if amount is not None else '（未告知罚款）'}")
            extra = set(v.other_kinds) - kinds_told
            if extra:
                above.append(f"{v.violation_id}增加了未告知的处罚种类")
        if c.fine_total is not None and c.fine_total > notice.fine_total:
            above.append(f"罚款合计{yuan(c.fine_total)}高于告知的{yuan(notice.fine_total)}")
        if above:
            add("not_above_notice", "决定不高于告知的处罚", FAILED, "；".join(above) + "。", art)
        else:
            add("not_above_notice", "决定不高于告知的处罚", PASSED, f"决定罚款合计{yuan(c.fine_total or Decimal(0))}，不高于告知的{yuan(notice.fine_total)}。", art)

    # The decision served (§61).
    art = f"{XZCF}第六十一条"
    if not decided:
        add("decision_served", "决定书依法送达", NOT_APPLICABLE, na_decision, art)
    elif c.decision_served_on is None:
        add("decision_served", "决定书依法送达", FAILED, "行政处罚决定书未送达当事人。", art)
    else:
        add("decision_served", "决定书依法送达", PASSED, f"决定书于{cn_date(c.decision_served_on)}送达（{c.decision_service_basis or c.decision_service_method}）。", art)

    # The key documents: the decision (§59) and, in the general procedure, the notice (§44).
    art = f"{XZCF}第五十九条"
    if not decided:
        add("decision_document", "卷内有行政处罚决定书", NOT_APPLICABLE, na_decision, art)
    elif not _registered(DECISION_KINDS):
        add("decision_document", "卷内有行政处罚决定书", UNCHECKED, "本系统尚未登记行政处罚决定书的文书种类，无法核对。", art)
    elif not kinds & set(DECISION_KINDS) and c.decision_document_id is None:
        add("decision_document", "卷内有行政处罚决定书", FAILED, "卷内没有行政处罚决定书。", art)
    else:
        add("decision_document", "卷内有行政处罚决定书", PASSED, "卷内有行政处罚决定书。", art)
    art = f"{XZCF}第四十四条"
    if not decided or not general:
        add("notice_document", "卷内有行政处罚告知书", NOT_APPLICABLE, na_decision if not decided else na_summary, art)
    elif not _registered(NOTICE_KINDS):
        add("notice_document", "卷内有行政处罚告知书", UNCHECKED, "本系统尚未登记行政处罚告知书的文书种类，无法核对。", art)
    elif not kinds & set(NOTICE_KINDS) and (notice is None or notice.document_id is None):
        add("notice_document", "卷内有行政处罚告知书", FAILED, "卷内没有行政处罚告知书。", art)
    else:
        add("notice_document", "卷内有行政处罚告知书", PASSED, "卷内有行政处罚告知书。", art)
    return items


def failed_items(items: Iterable[VetoItem]) -> list[VetoItem]:
    return [i for i in items if i.status == FAILED]


def closing_refusal(case: Case) -> DomainError | None:
    """The refusal of closing while any veto item fails, with every failed item in ``fields``."""
    failed = failed_items(veto_check(case))
    if not failed:
        return None
    text = "；".join(f"{i.title}：{i.message.rstrip('。')}" for i in failed)
    return DomainError(
        f"案卷评查有{len(failed)}项否决项不合格，不能结案：{text}。",
        code="case_file_veto",
        article="；".join(dict.fromkeys(i.article for i in failed)),
        fields={f"veto.{i.code}": [f"{i.veto}：{i.message}（{i.article}）"] for i in failed},
    )


def issue_closing_approval(*, actor: Any, case: Case, closed_on: dt.date, approver: str) -> IssuedDocument:
    """The 结案审批表, issued in the closing's transaction (called by ``services.case_close``)."""
    officers = paperwork.officer_facts(case)
    docs = case_documents(case)
    ctx = {
        "case_title": case.title,
        "party": paperwork.party_facts(case, fields=PARTY_FIELDS, unit_address="registered"),
        "filed_on": case.filed_on or case.decided_on,
        "decision_number": _decision_number(case, docs),
        "decided_on": case.decided_on,
        "result": result_text(case),
        "execution": execution_text(case),
        "officers": officers,
        "approver": approver,
        "closed_on": closed_on,
    }
    return paperwork.issue(actor=actor, case=case, kind="closing_approval", context=ctx, issued_on=closed_on)


# --- the daily reminders --------------------------------------------------------------------------------
def reminder_days() -> int:
    """How many working days ahead a handler is told of a due step (setting, default 3)."""
    return int(getattr(settings, "ANJIAN_CASE_REMINDER_DAYS", 3))


def case_reminders(*, today: dt.date | None = None, days: int | None = None) -> int:
    """Tell each handler of every open case whose next legal step is due within ``days`` working
    days, or overdue. Idempotent per day (one reminder per case, person, step and day), and a
    constant number of queries whatever the number of cases. Returns the reminders created."""
    day: dt.date = today or timezone.localdate()
    today = day
    n = reminder_days() if days is None else days
    try:
        horizon = lawcal.work_calendar().add_working_days(today, n) if n > 0 else today
    except LawError:  # beyond the computable range: count calendar days instead
        horizon = today + dt.timedelta(days=n)
    cases = list(
        Case.objects.filter(status__in=OPEN_STATUSES, next_due__isnull=False, next_due__lte=horizon)
        .values("id", "title", "status", "next_due", "opened_by_id")
        .order_by("next_due", "id")
    )
    if not cases:
        return 0
    ids = [c["id"] for c in cases]
    handlers: dict[int, list[int]] = {}
    for case_id, staff_id in CaseOfficer.objects.filter(case_id__in=ids, active=True).order_by("order", "id").values_list("case_id", "staff_id"):
        handlers.setdefault(case_id, []).append(staff_id)
    # A case without officers yet: its applicant is told.
    openers = dict(Staff.objects.filter(user_id__in={c["opened_by_id"] for c in cases if c["id"] not in handlers}).values_list("user_id", "id"))
    rows: list[Reminder] = []
    for c in cases:
        step = NEXT_STEP[c["status"]][0]
        due: dt.date = c["next_due"] or today  # filtered on next_due__isnull=False
        overdue = due < today
        when = f"已于{cn_date(due)}届满，逾期{(today - due).days}日" if overdue else ("今日届满" if due == today else f"将于{cn_date(due)}届满")
        message = f"案件“{c['title'][:80]}”的下一环节“{step}”{when}。"
        for staff_id in handlers.get(c["id"]) or ([openers[c["opened_by_id"]]] if c["opened_by_id"] in openers else []):
            rows.append(Reminder(case_id=c["id"], staff_id=staff_id, on=today, step=step, due=due, overdue=overdue, message=message[:300]))
    with transaction.atomic():
        before = Reminder.objects.filter(on=today).count()
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        return Reminder.objects.filter(on=today).count() - before


def unread_reminders(user: Any, *, limit: int = 20) -> list[Reminder]:
    """The user's unread reminders, the most urgent first (the board's include)."""
    staff_id = Staff.objects.filter(user=user).values_list("id", flat=True).first() if getattr(user, "is_authenticated", False) else None
    if staff_id is None:
        return []
    return list(Reminder.objects.filter(staff_id=staff_id, read_at__isnull=True).select_related("case").order_by("due", "id")[:limit])


def reminders_mark_read(*, actor: Any) -> int:
    """Mark the actor's own reminders read (nobody marks another person's)."""
    staff_id = Staff.objects.filter(user=actor).values_list("id", flat=True).first()
    if staff_id is None:
        return 0
    return Reminder.objects.filter(staff_id=staff_id, read_at__isnull=True).update(read_at=timezone.now())


def bundle(user: Any, subject_id: str) -> tuple[str, list[tuple[str, IssuedDocument]]]:
    """The case's documents for the printed bundle (documents.printing, issue 14 item 6), in the order
    of ``FILE_ORDER`` (LEGAL.md §8): the cover first, then each place in turn, by date within it. The
    bundle makes its own 卷内目录 with page numbers, so an issued index is left out."""
    from anjian.cases import selectors

    case = selectors.case_get(user=user, pk=subject_id, detail=False)
    labels = {code: label for label, codes in FILE_ORDER for code in codes}
    docs = [d for d in case_documents(case) if d.kind != "case_file_index"]
    docs.sort(key=lambda d: (-1 if d.kind == "case_file_cover" else PLACE.get(d.kind, UNKNOWN_PLACE), d.issued_on, d.issued_at, d.pk))
    return f"{case.party_name}：{case.title}（案卷）", [(labels.get(d.kind, d.title), d) for d in docs]
