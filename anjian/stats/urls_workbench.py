"""工作台 pages: ``/`` is the workbench (core's ``home`` redirects here by name)."""

from django.urls import path

from anjian.stats import views_workbench as views

urlpatterns = [
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/<slug:key>/", views.workbench_list, name="workbench-list"),
]
