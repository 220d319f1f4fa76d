from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "anjian.legal"
    label = "legal"
    verbose_name = "法制配置"
