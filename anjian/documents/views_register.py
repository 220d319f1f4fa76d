"""The documents register (文书登记簿, issue 14 item 3) and the public verification page (一文一码,
item 2). The register lists what the user may read (rule 4); the verification page shows anyone
whether a printed document is genuine and current, never its content or personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from anjian.core.models import Jurisdiction
from anjian.core.ratelimit import over_per_minute
from anjian.core.validators import date_bounds_error
from anjian.documents import registry, selectors, verification
from anjian.documents.choices import DocumentStatus
from anjian.documents.models import IssuedDocument

PAGE_SIZE = 50
EXPORT_MAX = 20000
# The register counts up to this many and then says "more than": counting a million documents
# takes a scan of them all (about 0.3 s on PostgreSQL), the page itself a few milliseconds.
COUNT_CAP = 10000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that counts at most ``COUNT_CAP`` + 1 rows (``capped`` when there are more)."""

    @property
    def count(self) -> int:  # type: ignore[override]
        if not hasattr(self, "_capped_count"):
            n = self.object_list[: COUNT_CAP + 1].count()  # type: ignore[index, attr-defined, union-attr]
            self._capped_count = min(n, COUNT_CAP)
            self.capped = n > COUNT_CAP
        return self._capped_count


def kind_choices() -> list[tuple[str, str]]:
    return [("", "全部文书种类"), *sorted(((k.code, k.name) for k in registry.kinds()), key=lambda c: c[1])]


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="文号或当事人", required=False, max_length=64)
    kind = forms.ChoiceField(label="文书种类", required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *DocumentStatus.choices])
    service = forms.ChoiceField(label="送达", required=False, choices=[("", "全部"), *selectors.SERVICE_STATES.items()])
    agency = forms.IntegerField(label="签发机关", required=False, min_value=1, max_value=2**53)
    jurisdiction = forms.IntegerField(label="辖区", required=False, min_value=1, max_value=2**53)
    enterprise = forms.IntegerField(label="单位", required=False, min_value=1, max_value=2**53)
    date_from = forms.DateField(label="签发日期自", required=False)
    date_to = forms.DateField(label="至", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kind_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date_from", "date_to"):
            if data.get(name) and (msg := date_bounds_error(data[name], "fact", today=dt.date.max - dt.timedelta(days=1))):
                self.add_error(name, msg)
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters; a tampered value is dropped rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "")}


def rows(docs: list[IssuedDocument]) -> list[dict[str, Any]]:
    served = {k.code for k in registry.kinds() if k.served}
    selectors.mark_superseded(docs)
    out = []
    for d in docs:
        label, url = registry.subject_link(d.subject_type, d.subject_id)
        out.append({"doc": d, "service": selectors.service_state(d, served), "source_label": label, "source_url": url})
    return out


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET)
    f = form.filters()
    page = CappedPaginator(selectors.document_register(request.user, f), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    from anjian.core.scoping import scope_for
    from anjian.documents.printing import BATCH_MAX
    from anjian.documents.templates import ADMIN_ROLES

    scope = scope_for(request.user)
    may_templates = scope.is_member and scope.has_role(*ADMIN_ROLES)
    # A user whose scope spans several bureaus (the city) chooses one by its jurisdiction; a unit
    # chosen from the ledger's documents tab is named, with a way back to every unit.
    jurisdictions = list(Jurisdiction.objects.filter(pk__in=scope.jurisdiction_ids).order_by("code").values_list("pk", "name")) if len(scope.jurisdiction_ids) > 1 else []
    unit_name = ""
    if f.get("enterprise"):
        unit_name = selectors.document_register(request.user, {"enterprise": f["enterprise"]}).values_list("party_name", flat=True).first() or f"单位编号{f['enterprise']}"
        without_unit = request.GET.copy()
        without_unit.pop("enterprise", None)
        without_unit.pop("page", None)
    ctx = {
        "jurisdictions": jurisdictions,
        "unit_name": unit_name,
        "without_unit": without_unit.urlencode() if unit_name else "",
        "form": form,
        "page": page,
        "rows": rows(list(page.object_list)),
        "query": query.urlencode(),
        "filtered": bool(f),
        "batch_max": BATCH_MAX,
        "may_templates": may_templates,
    }
    return render(request, "documents/register.html", ctx)


@login_required
@require_GET
def register_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from anjian.core import xlsx

    f = RegisterFilterForm(request.GET).filters()
    qs = selectors.document_register(request.user, f)
    n = qs.count()
    if n > EXPORT_MAX:
        return render(request, "400.html", {"message": f"共{n}份文书，超过单次导出上限{EXPORT_MAX}份：请按年度、种类或日期缩小范围后再导出。"}, status=400)
    served = {k.code for k in registry.kinds() if k.served}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("文书登记簿")
    ws.append(xlsx.row(ws, ["文号", "文书名称", "当事人", "签发机关", "签发日期", "状态", "送达", "所属记录", "作废原因", "签发人"], font=Font(bold=True)))
    for d in qs.iterator(chunk_size=2000):
        label, _ = registry.subject_link(d.subject_type, d.subject_id)
        ws.append(xlsx.row(ws, [
            d.number, d.title, d.party_name, d.agency_name, d.issued_on, d.get_status_display(), selectors.service_state(d, served),
            f"{label}{d.subject_id}" if label else d.subject_id, d.void_reason, d.issued_by.first_name or d.issued_by.get_username(),
        ]))  # fmt: skip
    return xlsx.download(wb, f"文书登记簿-{dt.date.today():%Y%m%d}.xlsx")


# --- the public verification page ----------------------------------------------------------------------

VERIFY_PER_MINUTE = 20
STATES = {"valid": "有效", "superseded": "已被重新签发的文书替代", "voided": "已作废"}


def _limited(request: HttpRequest) -> bool:
    """At most ``VERIFY_PER_MINUTE`` lookups a minute from one address: a code cannot be found by
    trying, and trying is slowed down further."""
    return over_per_minute(request, "verify", int(getattr(settings, "ANJIAN_VERIFY_PER_MINUTE", VERIFY_PER_MINUTE)))


@require_GET
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Anyone, no login: is the document with this code genuine and current?"""
    raw = code or request.GET.get("code", "")
    ctx: dict[str, Any] = {"asked": bool(raw), "code": raw[:40]}
    status = 200
    if raw:
        if _limited(request):
            ctx["limited"] = True
            status = 429
        else:
            doc, state = selectors.verification(verification.normalise(raw))
            if doc is None:
                status = 404
            ctx.update(doc=doc, state=state, state_label=STATES.get(state, ""), printed=verification.printed(doc.verify_code) if doc else "")
    response = render(request, "documents/verify.html", ctx, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response
