from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "anjian.stats"
    label = "stats"
    verbose_name = "调度统计"

    def ready(self) -> None:
        from anjian.stats import circular

        circular.register()  # the 通报 of the periodic returns (documents registry)

        from django.urls import reverse

        from anjian.documents import registry
        from anjian.documents import services as document_services

        document_services.register_reissue(circular.KIND_CODE)  # found by its period, not held by id
        registry.register_subject(circular.SUBJECT_TYPE, "季度小结与通报", lambda code: reverse("stats-returns") + f"?period={code}")
