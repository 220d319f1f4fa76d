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
        # The printed bundle of the case file, in the order of LEGAL.md §8 (documents.printing).
        from anjian.cases import casefile

        registry.register_bundle("cases.case", casefile.bundle)

        # A case document's proof of service marked erroneous in the documents register: the case
        # withdraws the deadlines computed from it, or refuses once something rests on its date
        # (行政处罚法 §61; cases/service_correction.py).
        from anjian.cases import paperwork, service_correction
        from anjian.documents import services as document_services

        document_services.register_service_correction(service_correction.service_corrected)
        document_services.register_service_correction_rule(paperwork.SUBJECT_TYPE, roles=service_correction.ROLES, check=service_correction.refusal)

        # A penalty case's documents are not re-issued from the document's page: the case holds them
        # step by step, its periods run from their service, and re-issuing a decision is a legal act
        # of its own (XZCF §59, §65), made in the case (documents services.refuse_reissue).
        from anjian.documents.casekinds import CASE_KIND_CODES

        for code in CASE_KIND_CODES:
            document_services.refuse_reissue(
                code,
                "行政处罚案件的文书由案件办理，不能在文书页面重新签发：案件各环节引用该文书并据其送达计算期限，"
                "决定书的变更须依法作出新的决定（《中华人民共和国行政处罚法》第五十九条、第六十五条）。请在案件中办理更正。",
            )
