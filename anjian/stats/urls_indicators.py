from django.urls import path

from anjian.stats import views_indicators as views

urlpatterns = [
    path("stats/indicators/", views.indicator_table, name="stats-indicators"),
    path("stats/drill/<str:key>/", views.drill, name="stats-drill"),
]
