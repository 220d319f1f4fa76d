"""Pages of discretion: a case's bands and comparable decisions, and the discretion standards
(裁量基准) the legal department enters and another person approves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anjian.cases import discretion, selectors
from anjian.core.duties import is_same_person
from anjian.core.errors import NotFound
from anjian.core.ids import parse_id
from anjian.core.scoping import scope_for
from anjian.core.ui import call_service, refused
from anjian.law.catalogue import Circumstance, Subject
from anjian.law.penalties import Band
from anjian.legal import authority
from anjian.legal import discretion as legal_discretion
from anjian.legal.models_discretion import DiscretionStandard, DiscretionStatus


def _visible_scopes(user: Any) -> set[str] | None:
    """The scopes whose standards ``user`` sees: those covering the user's agency (its own, the
    city's, the province's, ``*``); a neighbour district's are not shown. ``None``: all (superuser)."""
    if authority.is_superuser(user):
        return None
    code = authority.actor_jurisdiction_code(user)
    return set(authority.scope_codes(code)) if code else set()


def _standards(user: Any) -> QuerySet[DiscretionStandard]:
    qs = DiscretionStandard.objects.select_related("created_by", "approved_by").prefetch_related("cuts")
    scopes = _visible_scopes(user)
    return qs if scopes is None else qs.filter(scope__in=scopes)


def _standard(user: Any, pk: Any) -> DiscretionStandard:
    ident = parse_id(pk)
    std = _standards(user).filter(pk=ident).first() if ident is not None else None
    if std is None:
        raise NotFound()
    return std


# --- a case: bands and comparables -----------------------------------------------------------------------
@login_required
@require_GET
def case_discretion(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, related=("owner_agency",), detail=False)
    rows = discretion.comparables(case, on=timezone.localdate())
    band_labels = {b.value: b.label for b in Band}
    return render(request, "cases/discretion/case.html", {"case": case, "rows": rows, "band_labels": band_labels})


# --- standards ------------------------------------------------------------------------------------------------
@login_required
@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    may_create = authority.is_superuser(request.user) or scope_for(request.user).has_role(*authority.CONFIG_ROLES)
    return render(request, "cases/discretion/standards.html", {"standards": _standards(request.user)[:500], "may_create": may_create})


SUBJECTS = {s.value for s in Subject}
CIRCUMSTANCES = {c.value for c in Circumstance}


class StandardForm(forms.Form):
    scope = forms.ChoiceField(label="适用范围")
    name = forms.CharField(label="名称", max_length=200)
    source_document = forms.CharField(label="依据文件（文号）", max_length=200)
    issuing_agency = forms.CharField(label="制定机关", max_length=100, required=False, help_text="留空为本机关。")
    effective_from = forms.DateField(label="生效日期")
    effective_to = forms.DateField(label="失效日期", required=False)
    cuts = forms.CharField(
        label="裁量档次分界",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一项，以逗号分隔：违法行为编号、处罚对象、违法情形、从轻档上限（元）、从重档下限（元）、情节说明。例如：P12，unit，base，10000，30000，逾期未消除一般隐患",
    )
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args: Any, scopes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_field = self.fields["scope"]
        assert isinstance(scope_field, forms.ChoiceField)
        scope_field.choices = [(s, s) for s in scopes]

    def clean_cuts(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for n, line in enumerate(self.cleaned_data["cuts"].splitlines(), start=1):
            line = line.strip().replace("，", ",")
            if not line:
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) < 5:
                raise forms.ValidationError(f"第{n}行应依次填写违法行为编号、处罚对象、违法情形、从轻档上限、从重档下限（情节说明可选），以逗号分隔。")
            if parts[1] not in SUBJECTS or parts[2] not in CIRCUMSTANCES:
                raise forms.ValidationError(f"第{n}行：未知的处罚对象或违法情形。")
            out.append({"violation_id": parts[0], "subject": parts[1], "circumstance": parts[2], "lenient_to": parts[3], "heavy_from": parts[4], "note": ",".join(parts[5:])})
        if not out:
            raise forms.ValidationError("请至少填写一项。")
        return out


def _writable(user: Any) -> list[str]:
    allowed = authority.writable_scopes(user)
    if allowed is None:
        code = authority.actor_jurisdiction_code(user)
        return [code] if code else []
    return sorted(allowed - {authority.WHOLE_DEPLOYMENT}, key=lambda s: (len(s.rstrip("0")), s), reverse=True)


@login_required
@require_http_methods(["GET", "POST"])
def standard_create(request: HttpRequest) -> HttpResponse:
    if not (authority.is_superuser(request.user) or scope_for(request.user).has_role(*authority.CONFIG_ROLES)):
        return refused(request, "只有法制审核人员或系统管理员可以登记裁量基准。", reverse("cases:discretion-standards"))
    scopes = _writable(request.user)
    form = StandardForm(request.POST or None, scopes=scopes)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done, error, status = call_service(
            form,
            lambda: legal_discretion.standard_create(
                actor=request.user, scope=d["scope"], name=d["name"], source_document=d["source_document"], issuing_agency=d["issuing_agency"],
                effective_from=d["effective_from"], effective_to=d["effective_to"], cuts=d["cuts"], note=d["note"],
            ),
        )  # fmt: skip
        if done is not None:
            messages.success(request, "已登记裁量基准，须由另一名法制审核人员批准后生效。")
            return redirect("cases:discretion-standard", pk=done.pk)
    elif request.method == "POST":
        status = 200
    return render(request, "cases/discretion/standard_form.html", {"form": form, "error": error}, status=status)


class EndForm(forms.Form):
    effective_to = forms.DateField(label="失效日期")


class ApproveForm(forms.Form):
    decision = forms.ChoiceField(label="审批", choices=[("approve", "批准"), ("refuse", "不予批准")])
    opinion = forms.CharField(label="审批意见", max_length=300, required=False)


def _detail(
    request: HttpRequest, std: DiscretionStandard, *, form: ApproveForm | None = None, end_form: EndForm | None = None, error: Any = None, status: int = 200
) -> HttpResponse:
    may_approve = std.status == DiscretionStatus.PENDING and authority.may_write_scope(request.user, std.scope) and not is_same_person(std.created_by, request.user)
    return render(
        request, "cases/discretion/standard.html",
        {
            "std": std, "cuts": list(std.cuts.all()), "may_approve": may_approve, "form": form or ApproveForm(), "error": error,
            "may_end": std.status == DiscretionStatus.APPROVED and std.effective_to is None and authority.may_write_scope(request.user, std.scope),
            "end_form": end_form or EndForm(),
        },
        status=status,
    )  # fmt: skip


@login_required
@require_GET
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _standard(request.user, pk))


@login_required
@require_POST
def standard_approve(request: HttpRequest, pk: int) -> HttpResponse:
    std = _standard(request.user, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _detail(request, std, form=form)
    d = form.cleaned_data
    done, error, status = call_service(form, lambda: legal_discretion.standard_approve(actor=request.user, standard=std, approved=d["decision"] == "approve", opinion=d["opinion"]))
    if done is not None:
        messages.success(request, f"裁量基准{done.get_status_display()}。")
        return redirect("cases:discretion-standard", pk=std.pk)
    std.refresh_from_db()
    return _detail(request, std, form=form, error=error, status=status)


@login_required
@require_POST
def standard_end(request: HttpRequest, pk: int) -> HttpResponse:
    std = _standard(request.user, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        return _detail(request, std, end_form=form)
    done, error, status = call_service(form, lambda: legal_discretion.standard_end(actor=request.user, standard=std, effective_to=form.cleaned_data["effective_to"]))
    if done is not None:
        messages.success(request, "已终止裁量基准。")
        return redirect("cases:discretion-standard", pk=std.pk)
    std.refresh_from_db()
    return _detail(request, std, end_form=form, error=error, status=status)
