"""工作台 pages: ``/`` is the workbench (core's ``home`` redirects here by name)."""

from django.urls import path

from anjian.stats import views_workbench as views

urlpatterns = [
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/<slug:key>/", views.workbench_list, name="workbench-list"),
    path("workbench/<slug:key>/export/", views.workbench_list_xlsx, name="workbench-list-xlsx"),
]
