from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "anjian.cases"
    label = "cases"
    verbose_name = "行政处罚案件"

    def ready(self) -> None:
        from anjian.cases import pii

        pii.register()  # revealable personal data (core/pii.py)

        from django.urls import reverse

        from anjian.documents import registry

        registry.register_subject("cases.case", "行政处罚案件", lambda pk: reverse("cases:detail", args=[int(pk)]))

        from anjian.cases import paperwork
        from anjian.documents import services as document_services

        document_services.register_service_correction(paperwork.service_corrected)
