from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # The audit of sign-ins listens to Django's and axes' auth signals (core/auth.py).
        from anjian.core import accounts, auth, checks  # noqa: F401
