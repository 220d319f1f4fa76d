"""调度统计看板 page."""

from django.urls import path

from anjian.stats import views_dashboard as views

urlpatterns = [
    path("stats/dashboard/", views.dashboard, name="stats-dashboard"),
    path("stats/dashboard/export/", views.dashboard_xlsx, name="stats-dashboard-xlsx"),
]
