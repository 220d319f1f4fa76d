from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "anjian.stats"
    label = "stats"
    verbose_name = "调度统计"
