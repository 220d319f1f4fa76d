from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "anjian.cases"
    label = "cases"
    verbose_name = "行政处罚案件"

    def ready(self) -> None:
        from anjian.cases import pii

        pii.register()  # revealable personal data (core/pii.py)
