from rest_framework.routers import DefaultRouter

from anjian.enterprises.api import EnterpriseViewSet
from anjian.org.api import AgencyViewSet, DepartmentViewSet, StaffViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
