from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from anjian.enterprises import services


class Command(BaseCommand):
    help = "台账每日维护：按当日有效的年度计划执法主体更新各企业的“计划执法主体”和“市管/区管”。用法：anjian ledger refresh（每天凌晨执行一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh"])

    def handle(self, *args: Any, **opts: Any) -> None:
        with transaction.atomic():
            n = services.refresh_planned_subjects()
        self.stdout.write(f"计划执法主体已按今日更新：{n} 家企业有变化。")
