"""A bureau's own templates (issue 14 item 5): its wording and seal layout, for its own documents only.

* Only an administrator (``admin``) of the agency uploads, and only for that agency: the agency is
  the uploader's own (never a parameter), so one bureau can never change another's documents — a
  configuration one bureau could change for everyone is a known past defect.
* A template is accepted only if it is a .docx that renders with the kind's required facts: every
  required fact (or one of its alternatives) and the number, the agency's name and the verification
  code must appear as placeholders; a missing one is named (``{{ party.name }}``, label); a broken
  file, or one that fails to render with sample facts, is refused. Nothing is stored then.
* Versions: each upload is the next version for (agency, kind) and is put in use; any earlier one
  can be put back in use, or the project's template restored. Each issued document records the
  version it was rendered from (``IssuedDocument.agency_template``, ``template_version``).
* The agency's name, 文书代字, review body and court still come from the agency's record (``org``),
  handed over by the issuing app; the seal area is part of the layout the bureau owns here.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from jinja2 import nodes
from jinja2.exceptions import TemplateError

from anjian.core import audit
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.scoping import scope_for
from anjian.documents import registry
from anjian.documents.models import AgencyTemplate
from anjian.documents.registry import DocumentKind, Fact

ADMIN_ROLES = ("admin",)
MAX_BYTES = 5 * 1024 * 1024
# The core's own placeholders every document must carry (the 文号, the issuing agency, 一文一码).
REQUIRED_COMMON = (("number", "文号"), ("agency_name", "签发机关名称"), ("verify_code", "核验码"))


def _require_admin(actor: Any) -> int:
    scope = scope_for(actor)
    if not scope.is_member or scope.agency_id is None:
        raise PermissionRefused("您不是任何执法机关的在职人员，不能管理文书模板。", code="not_member")
    if not scope.has_role(*ADMIN_ROLES):
        raise PermissionRefused("只有本机关的系统管理员可以管理本机关的文书模板。", code="role_refused")
    return int(scope.agency_id)


def _paths(node: nodes.Node) -> Iterator[str]:
    """Every dotted name a template reads: ``party.name``, ``problems``, ``p.text``."""
    for n in node.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        parts: list[str] = []
        cur: Any = n
        while isinstance(cur, (nodes.Getattr, nodes.Getitem)):
            if isinstance(cur, nodes.Getattr):
                parts.append(cur.attr)
            elif isinstance(cur.arg, nodes.Const) and isinstance(cur.arg.value, str):
                parts.append(cur.arg.value)
            else:
                parts.clear()
            cur = cur.node
        if isinstance(cur, nodes.Name):
            yield ".".join([cur.name, *reversed(parts)])


def placeholders(data: bytes) -> set[str]:
    """The names a .docx template reads; ``ValidationFailed`` for a file that is not a usable .docx."""
    from docxtpl import DocxTemplate

    from anjian.documents.rendering import jinja_env

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationFailed("模板文件无法读取：不是有效的.docx文件（请用Word或WPS另存为.docx）。", code="template_broken", fields={"file": "不是有效的.docx文件。"})
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        source = tpl.patch_xml(tpl.get_xml())
        texts = [source]
        for _uri, part in tpl.get_headers_footers(tpl.HEADER_URI):
            texts.append(tpl.patch_xml(tpl.get_part_xml(part)))
        for _uri, part in tpl.get_headers_footers(tpl.FOOTER_URI):
            texts.append(tpl.patch_xml(tpl.get_part_xml(part)))
        env = jinja_env()
        found: set[str] = set()
        for text in texts:
            found.update(_paths(env.parse(text)))
    except TemplateError as exc:
        raise ValidationFailed(f"模板的占位符写法有误：{exc}。", code="template_broken", fields={"file": f"占位符写法有误：{exc}"}) from None
    except Exception as exc:  # a damaged package (missing document.xml, bad XML)
        raise ValidationFailed("模板文件已损坏，无法读取。", code="template_broken", fields={"file": f"文件已损坏（{type(exc).__name__}）。"}) from None
    return found


def _present(found: set[str], key: str) -> bool:
    key = key.split("[].")[0]  # "problems[].period_text": the list is read (its items in a loop)
    return key in found or any(f.startswith(f"{key}.") for f in found)


def missing_placeholders(kind: DocumentKind, found: set[str]) -> list[tuple[str, str]]:
    """(placeholder, label) of each required fact and core name the template does not read."""
    out = [(key, label) for key, label in REQUIRED_COMMON if not _present(found, key)]
    for fact in kind.facts:
        if fact.printed and not _present(found, fact.key) and not any(_present(found, alt) for alt in fact.alternatives):
            out.append((fact.key, fact.label))
    return out


def _sample(fact: Fact, today: dt.date) -> Any:
    if fact.type == "date":
        return today.isoformat()
    if fact.type == "datetime":
        return dt.datetime.combine(today, dt.time(9, 0)).isoformat()
    if fact.type == "bool":
        return True
    if fact.type == "list":
        item: dict[str, Any] = {}
        for sub in fact.item_facts:
            _put(item, sub.key, _sample(sub, today))
        return [item] * max(1, fact.min_items)
    return "示例"


def _put(ctx: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for p in parts[:-1]:
        ctx = ctx.setdefault(p, {})
    ctx.setdefault(parts[-1], value)


def sample_context(kind: DocumentKind, today: dt.date) -> dict[str, Any]:
    ctx: dict[str, Any] = dict(kind.defaults)
    for fact in kind.facts:
        _put(ctx, fact.key, _sample(fact, today))
    return ctx


def check(kind: DocumentKind, data: bytes) -> None:
    """Refuse (``ValidationFailed``) a template that is broken, lacks a required placeholder, or does
    not render with sample facts."""
    from anjian.documents.rendering import common_context, render_docx

    if len(data) > MAX_BYTES:
        raise ValidationFailed(f"模板文件不能超过{MAX_BYTES // 1024 // 1024}MB。", code="template_too_large", fields={"file": "文件过大。"})
    missing = missing_placeholders(kind, placeholders(data))
    if missing:
        names = "、".join(f"{{{{ {key} }}}}（{label}）" for key, label in missing)
        raise ValidationFailed(
            f"模板缺少《{kind.name}》的必备占位符：{names}。模板未保存。",
            code="template_placeholder_missing",
            article=kind.basis,
            fields={"file": f"缺少占位符：{names}"},
        )
    today = timezone.localdate()
    common = common_context(kind=kind, agency_name="示例应急管理局", doc_abbr="示应急", number="示应急〔2026〕1号", year=today.year, seq=1, issued_on=today, verify_code="0" * 16)
    try:
        render_docx(kind, sample_context(kind, today), common, source=data, source_label="上传检查")
    except DomainError as exc:
        raise ValidationFailed(f"模板无法生成文书：{exc.message}模板未保存。", code="template_render_failed", fields={"file": exc.message}) from None
    except Exception as exc:  # docxtpl on a damaged part
        raise ValidationFailed("模板无法生成文书，文件可能已损坏。模板未保存。", code="template_render_failed", fields={"file": f"生成失败（{type(exc).__name__}）。"}) from None


def template_upload(*, actor: Any, kind_code: str, upload: Any, note: str = "") -> AgencyTemplate:
    """Check and store the next version of the uploader's own agency's template for a kind, in use."""
    agency_id = _require_admin(actor)
    kind = registry.get(kind_code)
    name = str(getattr(upload, "name", "") or "")
    if upload is None:
        raise ValidationFailed("请选择模板文件。", code="template_missing", fields={"file": "请选择.docx模板文件。"})
    if not name.lower().endswith(".docx"):
        raise ValidationFailed("模板须为.docx文件。", code="template_broken", fields={"file": "须为.docx文件。"})
    if getattr(upload, "size", 0) and upload.size > MAX_BYTES:
        raise ValidationFailed(f"模板文件不能超过{MAX_BYTES // 1024 // 1024}MB。", code="template_too_large", fields={"file": "文件过大。"})
    data = upload.read(MAX_BYTES + 1)
    check(kind, data)
    from anjian.documents.rendering import sha256_hex

    digest = sha256_hex(data)
    with transaction.atomic():
        rows = list(AgencyTemplate.objects.select_for_update().filter(agency_id=agency_id, kind=kind.code).order_by("-version"))
        if rows and rows[0].sha256 == digest and rows[0].active:
            raise DomainError(f"该文件与使用中的第{rows[0].version}版相同，未重复保存。", code="template_same")
        version = (rows[0].version if rows else 0) + 1
        AgencyTemplate.objects.filter(agency_id=agency_id, kind=kind.code, active=True).update(active=False)
        tpl = AgencyTemplate(
            agency_id=agency_id, kind=kind.code, version=version, sha256=digest, size=len(data), original_name=name[-200:], note=(note or "").strip()[:200],
            active=True, uploaded_by=actor, uploaded_at=timezone.now(),
        )  # fmt: skip
        tpl.file.save(f"{kind.code}-{agency_id}-v{version}-{digest[:12]}.docx", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                tpl.save()
        except IntegrityError:
            tpl.file.delete(save=False)
            raise DomainError("另一位管理员同时上传了该种类的模板，请刷新后重试。", code="template_conflict") from None
        audit.record(actor=actor, action="document.template_upload", obj=tpl, after={"kind": kind.code, "version": version, "sha256": digest}, note=tpl.note)
    return tpl


def template_get(actor: Any, pk: Any) -> AgencyTemplate:
    """One of the actor's own agency's templates (another agency's: not found)."""
    scope = scope_for(actor)
    text = str(pk)
    if not text.isdigit() or len(text) > 18 or scope.agency_id is None:
        raise NotFound()
    tpl = AgencyTemplate.objects.filter(pk=int(text), agency_id=scope.agency_id).first()
    if tpl is None:
        raise NotFound()
    return tpl


@transaction.atomic
def template_activate(*, actor: Any, template: AgencyTemplate) -> AgencyTemplate:
    """Put an earlier version back in use (the restore)."""
    agency_id = _require_admin(actor)
    rows = list(AgencyTemplate.objects.select_for_update().filter(agency_id=agency_id, kind=template.kind))
    tpl = next((r for r in rows if r.pk == template.pk), None)
    if tpl is None:
        raise NotFound()
    if tpl.active:
        raise DomainError(f"第{tpl.version}版已在使用中。", code="template_active")
    before = next((r.version for r in rows if r.active), None)
    AgencyTemplate.objects.filter(agency_id=agency_id, kind=tpl.kind, active=True).update(active=False)
    AgencyTemplate.objects.filter(pk=tpl.pk).update(active=True)
    tpl.active = True
    audit.record(actor=actor, action="document.template_activate", obj=tpl, before={"version": before}, after={"version": tpl.version})
    return tpl


@transaction.atomic
def template_reset(*, actor: Any, kind_code: str) -> None:
    """Go back to the project's template for a kind (the bureau's versions are kept)."""
    agency_id = _require_admin(actor)
    kind = registry.get(kind_code)
    rows = list(AgencyTemplate.objects.select_for_update().filter(agency_id=agency_id, kind=kind.code, active=True))
    if not rows:
        raise DomainError(f"《{kind.name}》已在使用系统模板。", code="template_builtin")
    AgencyTemplate.objects.filter(pk__in=[r.pk for r in rows]).update(active=False)
    audit.record(actor=actor, action="document.template_reset", obj=rows[0], before={"version": rows[0].version}, after={"version": None})


def for_issue(agency_id: int, kind: DocumentKind) -> tuple[AgencyTemplate | None, bytes | None, str]:
    """The template an issue renders from: the agency's version in use (its hash checked), or the
    project's. Returns (row, bytes, template_version to record)."""
    from anjian.documents.rendering import sha256_hex

    tpl = AgencyTemplate.objects.filter(agency_id=agency_id, kind=kind.code, active=True).first()
    if tpl is None:
        return None, None, kind.template_version
    try:
        with tpl.file.open("rb") as fh:
            data = fh.read()
    except (FileNotFoundError, ValueError):
        raise DomainError(f"本机关《{kind.name}》模板第{tpl.version}版的文件缺失，请管理员恢复其他版本或系统模板。文书未签发。", code="document_template_missing") from None
    if sha256_hex(data) != tpl.sha256:
        raise DomainError(f"本机关《{kind.name}》模板第{tpl.version}版的文件与上传时不符，已拒绝使用。文书未签发。", code="document_template_changed")
    return tpl, data, f"{kind.template_version}/机关v{tpl.version}"[:32]
