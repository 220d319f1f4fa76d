from django.urls import include, path
from rest_framework.routers import DefaultRouter

from anjian.cases.api import CaseViewSet
from anjian.enterprises.api import EnterpriseViewSet
from anjian.hazards.api import HazardViewSet, MeasureViewSet, SetAsideViewSet, TransferViewSet
from anjian.inspections.api import ChecklistViewSet, InspectionViewSet
from anjian.org.api import AgencyViewSet, DepartmentViewSet, StaffViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("checklists", ChecklistViewSet, basename="checklist")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("measures", MeasureViewSet, basename="measure")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("set-asides", SetAsideViewSet, basename="set-aside")
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [path("law/", include("anjian.legal.api")), *router.urls]
