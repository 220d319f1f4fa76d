from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "anjian.stats"
    label = "stats"
    verbose_name = "调度统计"

    def ready(self) -> None:
        from anjian.stats import circular

        circular.register()  # the 通报 of the periodic returns (documents registry)
