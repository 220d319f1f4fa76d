"""Planning API: capacity, grading profiles, plans (generate, items, submit, return, approve, revise).

Thin: serializers check shape, services decide and write; a plan out of scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.core.api import IdField
from anjian.core.errors import PermissionRefused
from anjian.core.scoping import scope_for
from anjian.law import planning as pl
from anjian.org.models import Agency
from anjian.planning import selectors, services
from anjian.planning.choices import IN_FORCE, PlanStatus, RelationKind
from anjian.planning.models import AnnualPlan, DeclaredRelation, Draw, GradingProfile, GradingProfileVersion, PlanItem

YEAR_ERRORS: dict[str, Any] = {
    "invalid": "年度应为四位数字。",
    "min_value": "年度应在2004年至2199年之间。",
    "max_value": "年度应在2004年至2199年之间。",
    "max_string_length": "年度应为四位数字。",
}


class YearField(serializers.IntegerField):
    default_error_messages = YEAR_ERRORS  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", services.YEAR_MIN)
        kwargs.setdefault("max_value", services.YEAR_MAX)
        super().__init__(**kwargs)


class YearQuery(serializers.Serializer[Any]):
    year = YearField()


class CapacitySerializer(serializers.Serializer[Any]):
    year = YearField()
    deductions = serializers.DictField(
        child=serializers.CharField(max_length=20), required=False, default=dict, help_text="按类别填报的扣除工作日：" + "、".join(f"{k}={v}" for k, v in pl.CATEGORIES.items())
    )
    workdays_per_inspection = serializers.DictField(
        child=serializers.CharField(max_length=20), required=False, default=dict, help_text="每次检查工作日：hazchem/mine/industry/other"
    )
    reserve_share = serializers.CharField(max_length=20, default="0.1")
    key_share = serializers.CharField(max_length=20, default="0.6")
    officers_per_inspection = serializers.IntegerField(
        min_value=2, max_value=20, default=2, error_messages={"invalid": "应为整数。", "min_value": "不得少于2人。", "max_value": "不超过20人。", "max_string_length": "应为整数。"}
    )


def _agency(request: Request) -> Agency:
    scope = scope_for(request.user)
    if scope.agency_id is None or not scope.reads_business:
        raise PermissionRefused("您不是执法机关的在职人员。", code="role_refused")
    return Agency.objects.select_related("jurisdiction").get(pk=scope.agency_id)


def _member(request: Request) -> None:
    """A member of a bureau, whatever the roles (the grading profiles are configuration: the separated
    system administrator, who reads no business record, works on them too)."""
    if scope_for(request.user).agency_id is None:
        raise PermissionRefused("您不是执法机关的在职人员。", code="role_refused")


def capacity_body(agency: Agency, year: int) -> dict[str, Any]:
    row, cap = selectors.capacity_for(agency, year)
    return {
        "agency": agency.name,
        "inputs": {
            "deductions": row.deductions,
            "workdays_per_inspection": row.workdays_per_inspection,
            "reserve_share": str(row.reserve_share),
            "key_share": str(row.key_share),
            "officers_per_inspection": row.officers_per_inspection,
            "saved": row.pk is not None,
        },
        **cap.as_dict(),
    }


class CapacityView(APIView):
    @extend_schema(parameters=[OpenApiParameter("year", int, required=True, description="年度")], responses=dict, summary="本机关某年度的计划力量测算（逐行算式）")
    def get(self, request: Request) -> Response:
        q = YearQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        return Response(capacity_body(_agency(request), q.validated_data["year"]))

    @extend_schema(request=CapacitySerializer, responses=dict, summary="填报扣除工作日、每次检查工作日、预留与重点比例")
    def post(self, request: Request) -> Response:
        ser = CapacitySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        row = services.capacity_set(actor=request.user, **ser.validated_data)
        return Response(capacity_body(_agency(request), row.year))


class ProfileVersionSerializer(serializers.ModelSerializer[GradingProfileVersion]):
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = GradingProfileVersion
        fields = ["version", "name", "source", "reason", "data", "created_at", "created_by_name"]

    def get_created_by_name(self, obj: GradingProfileVersion) -> str:
        u = obj.created_by
        return "" if u is None else getattr(getattr(u, "staff", None), "name", "") or u.get_username()


class ProfileSerializer(serializers.ModelSerializer[GradingProfile]):
    class Meta:
        model = GradingProfile
        fields = ["id", "code", "name", "province", "is_sample", "source", "data", "active", "version", "updated_at"]


class ProfileDetailSerializer(ProfileSerializer):
    versions = serializers.SerializerMethodField()
    may_edit = serializers.SerializerMethodField()

    class Meta(ProfileSerializer.Meta):
        fields = ProfileSerializer.Meta.fields + ["may_edit", "versions"]

    def get_versions(self, obj: GradingProfile) -> list[dict[str, Any]]:
        return list(ProfileVersionSerializer(selectors.profile_versions(obj), many=True).data)

    def get_may_edit(self, obj: GradingProfile) -> bool:
        request = self.context.get("request")
        return bool(request is not None and not obj.is_sample and obj.province and services.profile_may_edit(request.user, obj.province))


# ``source`` and ``data`` are the profile's own words; DRF's metaclass takes declared fields off the
# class, so they do not shadow Field.source or Serializer.data at run time (mypy only sees the names).
class ProfileCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    source = serializers.CharField(max_length=300, help_text="本省公布频次和上限的文件名称与文号")  # type: ignore[assignment]
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    data = serializers.JSONField(required=False, default=None, help_text="完整配置（格式同示例配置）；不填则以示例配置为基础")  # type: ignore[assignment]


class ProfileUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    source = serializers.CharField(max_length=300)  # type: ignore[assignment]
    reason = serializers.CharField(max_length=300, help_text="修改理由（必填）")
    data = serializers.JSONField(help_text="完整配置：rules（适用行业/特征、依据、各等级频次与上限、未定级按哪一级）与 key_rules")  # type: ignore[assignment]
    active = serializers.BooleanField(required=False, default=None, allow_null=True)


class ProfileListView(APIView):
    @extend_schema(responses=ProfileSerializer(many=True), summary="分级检查频次配置：示例配置与本省配置（示例配置标明）")
    def get(self, request: Request) -> Response:
        _member(request)
        return Response(ProfileSerializer(selectors.profiles_visible(request.user), many=True).data)

    @extend_schema(request=ProfileCreateSerializer, responses=ProfileDetailSerializer, summary="建立本省配置（市级局领导或系统管理员；以示例配置为基础）")
    def post(self, request: Request) -> Response:
        _member(request)
        ser = ProfileCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        row = services.profile_create(actor=request.user, **ser.validated_data)
        return Response(ProfileDetailSerializer(row, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ProfileDetailView(APIView):
    @extend_schema(responses=ProfileDetailSerializer, summary="一项分级检查频次配置及其版本记录")
    def get(self, request: Request, pk: str) -> Response:
        return Response(ProfileDetailSerializer(selectors.profile_get(user=request.user, pk=pk), context={"request": request}).data)

    @extend_schema(request=ProfileUpdateSerializer, responses=ProfileDetailSerializer, summary="修改本省配置（保存为新版本，须说明理由；示例配置不能修改）")
    def put(self, request: Request, pk: str) -> Response:
        row = selectors.profile_get(user=request.user, pk=pk)
        ser = ProfileUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        done = services.profile_update(actor=request.user, profile=row, **ser.validated_data)
        return Response(ProfileDetailSerializer(done, context={"request": request}).data)


class ItemSerializer(serializers.ModelSerializer[PlanItem]):
    department_name = serializers.CharField(source="department.name", read_only=True, default="")

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "department",
            "department_name",
            "group",
            "rule",
            "grade_label",
            "frequency",
            "cap",
            "key",
            "key_reasons",
            "cost",
            "count",
            "months",
            "cut_from",
            "edited",
            "note",
        ]


class PlanSerializer(serializers.ModelSerializer[AnnualPlan]):
    agency_name = serializers.CharField(source="owner_agency.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    over_capacity = serializers.BooleanField(read_only=True)

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "owner_agency",
            "agency_name",
            "year",
            "version",
            "status",
            "status_label",
            "provisional",
            "available",
            "demand",
            "key_available",
            "key_demand",
            "over_capacity",
            "over_capacity_ack",
            "previous",
            "change_reason",
            "return_reason",
            "created_at",
            "submitted_at",
            "approved_at",
            "filed_to",
            "filed_at",
            "published_at",
        ]


class PlanDetailSerializer(PlanSerializer):
    conflicts = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = PlanSerializer.Meta.fields + ["profile_name", "profile_version_number", "capacity", "fit_summary", "cut_units", "cut_inspections", "conflicts", "months"]

    months = serializers.SerializerMethodField()
    profile_version_number = serializers.IntegerField(source="profile_version.version", read_only=True, default=None, help_text="编制时分级检查频次配置的版本（空：未记录）")

    def get_months(self, obj: AnnualPlan) -> list[dict[str, Any]]:
        return selectors.plan_months(obj)

    def get_conflicts(self, obj: AnnualPlan) -> list[dict[str, Any]]:
        return [{"unit_id": c.unit_id, "unit_name": c.unit_name, "kind": c.kind, "message": c.message, "plan_ids": list(c.plan_ids)} for c in selectors.plan_conflicts(obj)]


class GenerateSerializer(serializers.Serializer[Any]):
    year = YearField()
    provisional = serializers.BooleanField(default=False, help_text="该年度日历未载入时，按周末推算编制临时计划")
    acknowledge_over_capacity = serializers.BooleanField(default=False, help_text="确认计划超出力量（重点单位不得削减时）")


class ItemUpdateSerializer(serializers.Serializer[Any]):
    department = IdField(required=False, allow_null=True, default=None, help_text="承担科室（本机关）")
    count = serializers.IntegerField(
        min_value=0,
        max_value=366,
        error_messages={"invalid": "检查次数应为整数。", "min_value": "检查次数不能为负数。", "max_value": "检查次数过大。", "max_string_length": "检查次数应为整数。"},
    )
    months = serializers.ListField(
        child=serializers.IntegerField(
            min_value=1,
            max_value=12,
            error_messages={"invalid": "月份应为1至12。", "min_value": "月份应为1至12。", "max_value": "月份应为1至12。", "max_string_length": "月份应为1至12。"},
        ),
        max_length=366,
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class SubmitSerializer(serializers.Serializer[Any]):
    acknowledge_over_capacity = serializers.BooleanField(default=False)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, max_length=300)


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AnnualPlan]):
    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return PlanSerializer if self.action == "list" else PlanDetailSerializer

    def get_queryset(self) -> QuerySet[AnnualPlan]:
        p = self.request.query_params
        year = None
        if p.get("year"):
            ys = YearQuery(data=p)
            ys.is_valid(raise_exception=True)
            year = ys.validated_data["year"]
        return selectors.plan_list(user=self.request.user, year=year)

    def get_object(self) -> AnnualPlan:
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, plan: AnnualPlan, code: int = 200) -> Response:
        return Response(PlanDetailSerializer(selectors.plan_get(user=self.request.user, pk=plan.pk)).data, status=code)

    @extend_schema(request=GenerateSerializer, responses=PlanDetailSerializer, summary="生成本机关年度计划（草稿）")
    def create(self, request: Request) -> Response:
        ser = GenerateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        plan = services.plan_generate(actor=request.user, **ser.validated_data)
        return self._detail(plan, status.HTTP_201_CREATED)

    @extend_schema(
        responses=ItemSerializer(many=True),
        summary="计划检查单位（分页），已批准的计划附执行情况",
        parameters=[
            OpenApiParameter("overdue", str, description="1：只列逾期未检的单位（计划月份已过而未完成）"),
            OpenApiParameter("cut", str, description="1：只列力量不足时被削减检查次数的单位（cut_from 为削减前次数）"),
        ],
    )
    @action(detail=True, methods=["get"])
    def items(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        qs = selectors.plan_items(plan)
        progress = selectors.plan_progress(plan) if plan.status in (*IN_FORCE, PlanStatus.SUPERSEDED) else None
        if request.query_params.get("overdue") == "1":
            ids = progress.overdue_ids if progress is not None else []
            page_ids: list[int] = list(self.paginate_queryset(ids) or [])  # type: ignore[arg-type]
            by_pk = {i.pk: i for i in qs.filter(pk__in=page_ids)}
            page: Any = [by_pk[i] for i in page_ids if i in by_pk]
        else:
            if request.query_params.get("cut") == "1":
                qs = qs.filter(cut_from__isnull=False)
            page = self.paginate_queryset(qs)  # type: ignore[arg-type]
        data = ItemSerializer(page, many=True).data
        for row in data:
            p = progress.items.get(row["id"]) if progress is not None else None
            row["progress"] = {"planned_to_date": p.planned_to_date, "done": p.done, "overdue": p.overdue, "due_this_month": p.due_this_month} if p is not None else None
        return self.get_paginated_response(data)

    @extend_schema(responses=dict, summary="计划执行情况：按月、按科室计划与完成，完成率，逾期未检")
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        return Response(selectors.plan_progress(self.get_object()).as_dict())

    @extend_schema(request=ItemUpdateSerializer, responses=ItemSerializer, summary="调整单位的检查次数与月份（草稿）")
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_pk>[^/.]+)")
    def item_update(self, request: Request, pk: str | None = None, item_pk: str | None = None) -> Response:
        plan = self.get_object()
        item = services.item_get(actor=request.user, plan=plan, pk=item_pk)
        ser = ItemUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        it = services.plan_item_update(actor=request.user, item=item, **ser.validated_data)
        return Response(ItemSerializer(it).data)

    @extend_schema(request=SubmitSerializer, responses=PlanDetailSerializer, summary="提交审批")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        ser = SubmitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._detail(services.plan_submit(actor=request.user, plan=self.get_object(), **ser.validated_data))

    @extend_schema(request=ReasonSerializer, responses=PlanDetailSerializer, summary="退回（局领导）")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        ser = ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._detail(services.plan_return(actor=request.user, plan=self.get_object(), **ser.validated_data))

    @extend_schema(request=None, responses=PlanDetailSerializer, summary="批准（局领导，不得为提交人）")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.plan_approve(actor=request.user, plan=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=PlanDetailSerializer, summary="修订已批准的计划（新版本，须说明理由）")
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str | None = None) -> Response:
        ser = ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        new = services.plan_revise(actor=request.user, plan=self.get_object(), **ser.validated_data)
        return self._detail(new, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PlanDetailSerializer, summary="报上级备案（生成年度监督检查计划文书）")
    @action(detail=True, methods=["post"], url_path="file")
    def file_(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.plan_file(actor=request.user, plan=self.get_object()))

    @extend_schema(request=None, responses=PlanDetailSerializer, summary="公布（报上级备案后）")
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.plan_publish(actor=request.user, plan=self.get_object()))


urlpatterns = [
    path("planning/capacity/", CapacityView.as_view(), name="api-planning-capacity"),
    path("planning/profiles/", ProfileListView.as_view(), name="api-planning-profiles"),
    path("planning/profiles/<str:pk>/", ProfileDetailView.as_view(), name="api-planning-profile"),
]


# --- random draws (双随机) ------------------------------------------------------------------------------
class DrawSerializer(serializers.ModelSerializer[Draw]):
    agency_name = serializers.CharField(source="owner_agency.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Draw
        fields = [
            "id",
            "public_id",
            "title",
            "agency_name",
            "status",
            "status_label",
            "filters",
            "filters_text",
            "count",
            "per_inspection",
            "planned_on",
            "draw_at",
            "commitment",
            "beacon",
            "seed",
            "drawn_at",
            "publish_due",
        ]


class DrawDetailSerializer(DrawSerializer):
    result = serializers.SerializerMethodField()

    class Meta(DrawSerializer.Meta):
        fields = DrawSerializer.Meta.fields + ["result"]

    def get_result(self, obj: Draw) -> list[dict[str, Any]]:
        return selectors.draw_result_rows(obj)


class DrawCommitSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100)
    filters = serializers.DictField(
        child=serializers.CharField(max_length=100, allow_blank=True), required=False, default=dict, help_text="企业台账的筛选条件（与台账列表相同的键）"
    )
    share = serializers.CharField(max_length=10, required=False, allow_blank=True, default="", help_text="抽取比例（0至1，如0.1表示10%），与抽取户数二选一")
    count = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=1_000_000,
        error_messages={"invalid": "抽取数量应为整数。", "min_value": "抽取数量至少为1。", "max_value": "抽取数量过大。", "max_string_length": "抽取数量应为整数。"},
    )
    per_inspection = serializers.IntegerField(
        min_value=2,
        max_value=20,
        default=2,
        error_messages={"invalid": "应为整数。", "min_value": "每户至少两名执法人员。", "max_value": "不超过20人。", "max_string_length": "应为整数。"},
    )
    planned_on = serializers.DateField(error_messages={"invalid": "日期格式应为YYYY-MM-DD。"})
    draw_at = serializers.DateTimeField(error_messages={"invalid": "时间格式应为YYYY-MM-DDTHH:MM。"})


class BeaconSerializer(serializers.Serializer[Any]):
    beacon = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Draw]):
    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return DrawSerializer if self.action == "list" else DrawDetailSerializer

    def get_queryset(self) -> QuerySet[Draw]:
        return selectors.draw_list(user=self.request.user)  # type: ignore[no-any-return]

    def get_object(self) -> Draw:
        return selectors.draw_get(user=self.request.user, pk=self.kwargs["pk"])  # type: ignore[no-any-return]

    @extend_schema(request=DrawCommitSerializer, responses=DrawDetailSerializer, summary="公示抽取条件（对象库、人员库的SHA-256与抽取时间）")
    def create(self, request: Request) -> Response:
        ser = DrawCommitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = services.draw_commit(actor=request.user, **ser.validated_data)
        return Response(DrawDetailSerializer(d).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BeaconSerializer, responses=DrawDetailSerializer, summary="到公示时间后抽取")
    @action(detail=True, methods=["post"])
    def perform(self, request: Request, pk: str | None = None) -> Response:
        ser = BeaconSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = services.draw_perform(actor=request.user, draw=self.get_object(), **ser.validated_data)
        return Response(DrawDetailSerializer(d).data)

    @extend_schema(responses=dict, summary="重新抽取并核对结果")
    @action(detail=True, methods=["get"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        ok, message = services.draw_verify(self.get_object())
        return Response({"verified": ok, "message": message})


# --- declared relations (利害关系申报, 回避) ---------------------------------------------------------------
class RelationSerializer(serializers.ModelSerializer[DeclaredRelation]):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    agency_name = serializers.CharField(source="owner_agency.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DeclaredRelation
        fields = ["id", "staff", "staff_name", "agency_name", "enterprise", "enterprise_name", "kind", "kind_label", "description", "declared_on", "ended_on", "end_reason"]


class RelationDeclareSerializer(serializers.Serializer[Any]):
    enterprise = serializers.CharField(max_length=30, help_text="单位的台账编号或统一社会信用代码（在本人可查看的台账范围内）")
    kind = serializers.ChoiceField(choices=RelationKind.choices, error_messages={"invalid_choice": "请选择关系类别。"})
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", help_text="“其他”须说明")


class EndSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300, help_text="终止理由（如：已转让股份）")


class RelationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[DeclaredRelation]):
    """本人申报的利害关系；办公室、局领导可查看本机关及下级机关人员的申报。"""

    serializer_class = RelationSerializer

    def get_queryset(self) -> QuerySet[DeclaredRelation]:
        return selectors.relations_visible(self.request.user)  # type: ignore[no-any-return]

    @extend_schema(request=RelationDeclareSerializer, responses=RelationSerializer, summary="申报本人与单位的利害关系（双随机抽取据此回避）")
    def create(self, request: Request) -> Response:
        ser = RelationDeclareSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        row = services.relation_declare(actor=request.user, **ser.validated_data)
        return Response(RelationSerializer(selectors.relation_get(user=request.user, pk=row.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=RelationSerializer, summary="终止本人的申报（须说明理由）")
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        row = selectors.relation_get(user=request.user, pk=pk)
        ser = EndSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        done = services.relation_end(actor=request.user, relation=row, **ser.validated_data)
        return Response(RelationSerializer(selectors.relation_get(user=request.user, pk=done.pk)).data)
