"""The legal calculators (included at ``law/``)."""

from django.urls import path

from anjian.legal import calculators

app_name = "law"

urlpatterns = [
    path("deadlines/", calculators.deadline_calculator, name="deadlines"),
    path("penalties/", calculators.penalty_calculator, name="penalties"),
]
