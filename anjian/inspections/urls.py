from django.urls import path

from anjian.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("findings/", views.finding_list, name="findings"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("sw.js", views.service_worker, name="sw"),
    path("new/<int:enterprise_pk>/", views.inspection_new, name="new"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/field/", views.inspection_field, name="field"),
    path("<int:pk>/complete/", views.inspection_complete, name="complete"),
    path("<int:pk>/times/", views.inspection_correct_times, name="correct_times"),
    path("<int:pk>/print/", views.inspection_print, name="print"),
    path("<int:pk>/scan/", views.inspection_scan, name="scan"),
    path("<int:pk>/evidence/", views.inspection_evidence, name="evidence"),
    path("<int:pk>/findings/new/", views.finding_add, name="finding_add"),
]
