from django.urls import path

from anjian.stats import views_returns as views

urlpatterns = [
    path("stats/returns/", views.return_page, name="stats-returns"),
    path("stats/returns/export/", views.return_xlsx, name="stats-returns-xlsx"),
    path("stats/returns/circular/", views.circular_issue, name="stats-returns-circular"),
]
