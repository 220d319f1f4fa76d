from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "anjian.enterprises"
    label = "enterprises"
    verbose_name = "企业台账"

    def ready(self) -> None:
        from anjian.enterprises import pii

        pii.register()  # revealable personal data (core/pii.py)
