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
