from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "anjian.planning"
    label = "planning"
    verbose_name = "年度计划"

    def ready(self) -> None:
        from django.urls import reverse

        from anjian.documents import registry

        # The documents register links the plan document (kind annual_plan) to its plan.
        registry.register_subject("planning.annualplan", "年度监督检查计划", lambda pk: reverse("planning:detail", args=[int(pk)]))
