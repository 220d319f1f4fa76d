from django.urls import include, path
from rest_framework.routers import DefaultRouter

from anjian.cases import api_casefile, api_decision, api_discretion, api_evidence, api_execution, api_filing, api_publication
from anjian.cases.api import CaseViewSet
from anjian.complaints import api_officers as complaint_officers_api
from anjian.complaints.api import SubmissionViewSet
from anjian.core.views_pii import PiiRevealView
from anjian.documents.api import AgencyTemplateViewSet, DocumentViewSet, PrintJobViewSet
from anjian.enterprises.api import EnterpriseViewSet
from anjian.hazards.api import HazardViewSet, MeasureViewSet, SetAsideViewSet, TransferViewSet
from anjian.inspections.api import ChecklistViewSet, InspectionViewSet
from anjian.org.api import AgencyViewSet, DepartmentViewSet, StaffViewSet
from anjian.planning import api as planning_api
from anjian.planning.api import DrawViewSet, PlanViewSet, RelationViewSet
from anjian.stats import api_urls as stats_api

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("plans", PlanViewSet, basename="plan")
router.register("draws", DrawViewSet, basename="draw")
router.register("planning/relations", RelationViewSet, basename="relation")  # 利害关系申报 (回避, issue 13 item 5)
router.register("checklists", ChecklistViewSet, basename="checklist")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("measures", MeasureViewSet, basename="measure")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("set-asides", SetAsideViewSet, basename="set-aside")
router.register("cases", CaseViewSet, basename="case")
router.register("documents", DocumentViewSet, basename="document")
router.register("print-jobs", PrintJobViewSet, basename="print-job")
router.register("document-templates", AgencyTemplateViewSet, basename="document-template")
router.register("complaints", SubmissionViewSet, basename="complaint")

# The further stages of penalty cases register their own routes (before the router's, so that a
# path like cases/<id>/evidence/ is not taken for a case action).
case_stage_urls = [
    *api_filing.urlpatterns,
    *api_evidence.urlpatterns,
    *api_discretion.urlpatterns,
    *api_decision.urlpatterns,
    *api_execution.urlpatterns,
    *api_publication.urlpatterns,
    *api_casefile.urlpatterns,
]

urlpatterns = [
    *stats_api.urlpatterns,
    path("law/", include("anjian.legal.api")),
    path("pii/reveal/", PiiRevealView.as_view(), name="api-pii-reveal"),
    *case_stage_urls,
    *planning_api.urlpatterns,
    *complaint_officers_api.urlpatterns,  # an officer's complaint record (issue 12 item 4), before the router
    *router.urls,
]
