from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "anjian.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from anjian.complaints import pii

        pii.register()  # revealable personal data (core/pii.py), with the complaints' own reveal rule
