"""Issued documents, their numbers and their proof of service.

The documents core knows no domain app: a document names what it belongs to by
``subject_type``/``subject_id`` strings, and the issuing agency by its id and a snapshot of its
name and 文书代字 (the agency lives in ``org``, above this layer).
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from anjian.core.models import Jurisdiction
from anjian.core.scoping import ScopedQuerySet
from anjian.documents.choices import DocumentStatus, PdfStatus, PrintJobKind, PrintJobStatus, ServiceMethod, ServiceStatus


class DocumentCounter(models.Model):
    """The last number given per agency, 文号 word and year (ARCHITECTURE.md rule 5).

    Locked with ``select_for_update`` inside the issuing transaction and incremented there, so a
    rolled-back issue gives its number back and two issues never get the same one.
    """

    agency_id = models.BigIntegerField("机关编号")
    series = models.CharField("文号代字", max_length=16, help_text="文书种类在文号中的用字，如：责改")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        ordering = ["agency_id", "series", "year"]
        verbose_name = "文号计数器"
        verbose_name_plural = "文号计数器"
        constraints = [
            # The row allocate_number locks; its uniqueness makes the race-safe creation work.
            models.UniqueConstraint(fields=["agency_id", "series", "year"], name="documentcounter_unique", violation_error_message="同一机关、文书代字和年度只能有一个计数器。"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.series}〔{self.year}〕{self.last}"


class IssuedDocumentQuerySet(ScopedQuerySet["IssuedDocument"]):
    """Issued documents, readable by jurisdiction (``for_user``, rule 4)."""


class IssuedDocument(models.Model):
    """One issued document: its number, the facts it was rendered from, the file and its hash."""

    kind = models.CharField("文书种类", max_length=64)
    title = models.CharField("文书名称", max_length=64)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=64)
    agency_id = models.BigIntegerField("签发机关编号")
    agency_name = models.CharField("签发机关", max_length=100)
    doc_abbr = models.CharField("机关代字", max_length=16)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField("所属对象类型", max_length=64, help_text="如：inspections.inspection")
    subject_id = models.CharField("所属对象编号", max_length=64)
    # The unit (or person) the document is addressed to, for the register's filter and the ledger's
    # documents tab: the unit's id as the issuing app gives it (documents knows no ledger, rule 1)
    # and the party's name as the document prints it.
    enterprise_id = models.BigIntegerField("单位编号", null=True, blank=True)
    party_name = models.CharField("当事人", max_length=200, blank=True, default="")
    # 一文一码: the code printed on the document, for the public verification page (80 random bits).
    verify_code = models.CharField("核验码", max_length=32, unique=True, null=True, blank=True)
    # The PDF for printing (issue 14 item 1), made by LibreOffice in the background (documents/pdf.py).
    pdf = models.FileField("PDF文件", upload_to="documents/pdf/%Y/", max_length=255, blank=True)
    pdf_sha256 = models.CharField("PDF校验值", max_length=64, blank=True)
    pdf_status = models.CharField("PDF状态", max_length=16, choices=PdfStatus.choices, blank=True, default=PdfStatus.NONE)
    pdf_attempts = models.PositiveSmallIntegerField("PDF生成次数", default=0)
    pdf_error = models.CharField("PDF生成失败原因", max_length=200, blank=True)
    # The act the document records, as the issuing app names it (default "subject_type:subject_id";
    # a measure decision names its hazard and measure). One live document per kind and act.
    source = models.CharField("所记载的事项", max_length=200, blank=True, default="")
    reissue_reason = models.TextField("重新签发理由", blank=True, default="", help_text="同一事项已有同类文书仍须签发时写明理由（经审计）。")
    # A re-issue from the document's page (issue 14 item 4) names the document it replaces; that one
    # is kept, with its file, and shows as superseded (已被替代) in the register and on the public page.
    # The bureau's own template (issue 14 item 5) it was rendered from; null: the project's template.
    agency_template = models.ForeignKey("AgencyTemplate", verbose_name="机关模板", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replaces = models.ForeignKey("self", verbose_name="替代的文书", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    context = models.JSONField("文书事项", encoder=DjangoJSONEncoder)
    file = models.FileField("文书文件", upload_to="documents/%Y/", max_length=255)
    sha256 = models.CharField("SHA-256校验值", max_length=64)
    size = models.PositiveIntegerField("文件大小（字节）")
    template_version = models.CharField("模板版本", max_length=32)
    issued_on = models.DateField("签发日期")
    issued_at = models.DateTimeField("签发时间")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.ISSUED)
    void_reason = models.TextField("作废原因", blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="作废人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "number"], name="issueddocument_unique_number", violation_error_message="同一机关的文号不能重复。"),
            models.CheckConstraint(
                name="issueddocument_void_has_reason",
                condition=Q(status=DocumentStatus.ISSUED) | ~Q(void_reason=""),
                violation_error_message="作废文书必须写明原因。",
            ),
            # One document per act: a second live document of the same kind for the same act is a
            # double submit or a race, unless it is a deliberate re-issue with its reason.
            models.UniqueConstraint(
                fields=["agency_id", "kind", "source"],
                condition=Q(status=DocumentStatus.ISSUED) & ~Q(source="") & Q(reissue_reason=""),
                name="issueddocument_one_per_act",
                violation_error_message="同一事项已签发过同类文书。",
            ),
            # A document is replaced once: a second re-issue of the same document is a double submit.
            models.UniqueConstraint(
                fields=["replaces"],
                condition=Q(status=DocumentStatus.ISSUED) & Q(replaces__isnull=False),
                name="issueddocument_replaced_once",
                violation_error_message="该文书已被重新签发的文书替代。",
            ),
            models.CheckConstraint(name="issueddocument_seq_positive", condition=Q(seq__gte=1), violation_error_message="文号序号从1开始。"),
        ]
        indexes = [
            # The documents tab of a domain object: WHERE subject_type=… AND subject_id=….
            models.Index(fields=["subject_type", "subject_id"], name="document_subject_idx"),
            # The scoped register: WHERE jurisdiction_id IN (…) ORDER BY issued_at DESC.
            models.Index(fields=["jurisdiction", "-issued_at"], name="document_scope_idx"),
            # superseded_by / mark_superseded: the live documents of one act (agency, kind, source).
            models.Index(fields=["agency_id", "kind", "source"], name="document_act_idx"),
            # The ledger's documents tab: WHERE enterprise_id = … ORDER BY issued_at DESC.
            models.Index(fields=["enterprise_id", "-issued_at"], name="document_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def download_name(self) -> str:
        return f"{self.number}{self.title}.docx"


class ServiceRecord(models.Model):
    """Proof of service (送达回证): how, when and to whom a document was served.

    The date of service is computed from the method and the event date entered (XZCF §61;
    MSSSF §87–§95) and starts the clocks that run from service. One effective record per
    document; a wrong one is marked erroneous with a reason, never edited or deleted.
    """

    document = models.ForeignKey(IssuedDocument, verbose_name="文书", on_delete=models.PROTECT, related_name="service_records")
    method = models.CharField("送达方式", max_length=16, choices=ServiceMethod.choices)
    event_date = models.DateField("送达事件日期", help_text="签收日期/留置日期/回执日期/到达系统日期/公告发布日期")
    served_on = models.DateField("送达日期")
    basis = models.CharField("依据", max_length=200)
    recipient = models.CharField("受送达人", max_length=100)
    refused = models.BooleanField("拒绝签收", default=False)
    witness = models.CharField("见证人", max_length=100, blank=True)
    consent_ref = models.CharField("电子送达同意书", max_length=200, blank=True, help_text="当事人书面同意电子送达的文件或编号")
    note = models.TextField("备注", blank=True)
    scan = models.FileField("送达回证扫描件", upload_to="documents/service/%Y/", max_length=255, blank=True)
    status = models.CharField("状态", max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.EFFECTIVE)
    error_reason = models.TextField("登记有误的原因", blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="标记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField("标记时间", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        ordering = ["document", "-recorded_at", "-id"]
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status=ServiceStatus.EFFECTIVE),
                name="servicerecord_one_effective",
                violation_error_message="一份文书只能有一条有效的送达记录。",
            ),
            models.CheckConstraint(
                name="servicerecord_refusal_witnessed",
                condition=~Q(method=ServiceMethod.REFUSAL) | (Q(refused=True) & ~Q(witness="")),
                violation_error_message="留置送达须记录拒收和见证人（民事诉讼法第八十九条）。",
            ),
            models.CheckConstraint(
                name="servicerecord_electronic_consent",
                condition=~Q(method=ServiceMethod.ELECTRONIC) | ~Q(consent_ref=""),
                violation_error_message="电子送达须经当事人书面同意（行政处罚法第六十一条）。",
            ),
            models.CheckConstraint(
                name="servicerecord_error_has_reason",
                condition=Q(status=ServiceStatus.EFFECTIVE) | ~Q(error_reason=""),
                violation_error_message="标记登记有误必须写明原因。",
            ),
            models.CheckConstraint(
                name="servicerecord_served_after_event",
                condition=Q(served_on__gte=models.F("event_date")),
                violation_error_message="送达日期不能早于送达事件日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} {self.get_method_display()} {self.served_on:%Y-%m-%d}"


class PrintJob(models.Model):
    """One PDF of several documents, made in the background (issue 14 items 6 and 7): a batch
    chosen in the register, or the bundle (合订本) of a record's documents in the order of the case
    file with its 卷内目录 and page numbers. Seen only by the user who asked for it; each document
    in it was in that user's scope when it was asked for (documents/printing.py)."""

    kind = models.CharField("类型", max_length=16, choices=PrintJobKind.choices)
    title = models.CharField("名称", max_length=200)
    subject_type = models.CharField("所属对象类型", max_length=64, blank=True, default="")
    subject_id = models.CharField("所属对象编号", max_length=64, blank=True, default="")
    # [{"document": id, "label": place in the file}], in print order.
    entries = models.JSONField("文书清单", encoder=DjangoJSONEncoder)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    status = models.CharField("状态", max_length=16, choices=PrintJobStatus.choices, default=PrintJobStatus.PENDING)
    done = models.PositiveIntegerField("已完成份数", default=0)
    total = models.PositiveIntegerField("总份数", default=0)
    pages = models.PositiveIntegerField("总页数", default=0)
    error = models.CharField("失败原因", max_length=300, blank=True)
    file = models.FileField("PDF文件", upload_to="documents/bundles/%Y/", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256校验值", max_length=64, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # SHA-256 of what was asked (kind, record, documents in order): one queued or running job per
    # user and selection, held by the database (printjob_one_active) so that two simultaneous
    # identical requests make one job. "" on the jobs asked before the key existed.
    selection_key = models.CharField("所选内容校验值", max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "打印任务"
        verbose_name_plural = "打印任务"
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="printjob_user_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "selection_key"],
                condition=Q(status__in=[PrintJobStatus.PENDING, PrintJobStatus.RUNNING]) & ~Q(selection_key=""),
                name="printjob_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"

    @property
    def document_ids(self) -> list[int]:
        return [int(e["document"]) for e in self.entries]


class AgencyTemplate(models.Model):
    """A bureau's own .docx for a kind (issue 14 item 5): its wording and seal layout, for its own
    documents only. Versioned per agency and kind; one version is in use (``active``), an earlier one
    can be put back, and with none in use the project's template is used (documents/templates.py)."""

    agency_id = models.BigIntegerField("机关编号")
    kind = models.CharField("文书种类", max_length=64)
    version = models.PositiveIntegerField("版本")
    file = models.FileField("模板文件", upload_to="documents/templates/%Y/", max_length=255)
    sha256 = models.CharField("SHA-256校验值", max_length=64)
    size = models.PositiveIntegerField("文件大小（字节）")
    original_name = models.CharField("上传文件名", max_length=200)
    note = models.CharField("说明", max_length=200, blank=True)
    active = models.BooleanField("使用中", default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["agency_id", "kind", "-version"]
        verbose_name = "机关文书模板"
        verbose_name_plural = "机关文书模板"
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "kind", "version"], name="agencytemplate_unique_version", violation_error_message="该版本已存在。"),
            models.UniqueConstraint(fields=["agency_id", "kind"], condition=Q(active=True), name="agencytemplate_one_active", violation_error_message="同一种类只能有一个使用中的模板。"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind} 第{self.version}版"

    @property
    def label(self) -> str:
        return f"机关模板第{self.version}版"
