from django.urls import path

from anjian.stats import views_indicators as views

urlpatterns = [
    path("stats/indicators/", views.indicator_table, name="stats-indicators"),
    path("stats/indicators/export/", views.indicator_table_xlsx, name="stats-indicators-xlsx"),
    path("stats/drill/<str:key>/", views.drill, name="stats-drill"),
    path("stats/drill/<str:key>/export/", views.drill_xlsx, name="stats-drill-xlsx"),
]
