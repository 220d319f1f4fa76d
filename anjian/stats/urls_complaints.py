"""The complaints' figures (issue 12 item 9) at /complaints/figures/: in stats (the period codes are
the statistics'), under the complaints' path; complaints/urls.py has no pattern matching it."""

from django.urls import path

from anjian.stats import views_complaints as views

urlpatterns = [
    path("complaints/figures/", views.figures_page, name="complaints-figures"),
    path("complaints/figures.xlsx", views.figures_xlsx, name="complaints-figures-xlsx"),
]
