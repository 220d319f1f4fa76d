from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "anjian.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from anjian.complaints import officers, pii
        from anjian.org import panels

        pii.register()  # revealable personal data (core/pii.py), with the complaints' own reveal rule
        panels.register_staff_panel(officers.staff_panel)  # the officer's record on org's staff page (issue 12 item 4)

        # A reply and a referral are held by the complaint and answer it in its own steps.
        from anjian.documents import services as document_services
        from anjian.documents.casekinds import COMPLAINT_KIND_CODES

        for code in COMPLAINT_KIND_CODES:
            document_services.refuse_reissue(code, "投诉举报的答复意见书和转送函由投诉举报办理，不能在文书页面重新签发。")
