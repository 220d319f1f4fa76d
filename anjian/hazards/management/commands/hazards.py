from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anjian.hazards.services import hazards_overdue_sweep
from anjian.hazards.tasks import sweep_overdue_hazards


class Command(BaseCommand):
    help = "隐患：sweep 标记逾期未整改的隐患（每日由 cron 或 systemd timer 调用）；加 --enqueue 交给后台 worker。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sweep"])
        parser.add_argument("--today", help="按指定日期检查（YYYY-MM-DD），默认今天")
        parser.add_argument("--enqueue", action="store_true", help="排入后台任务队列")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["enqueue"]:
            result = sweep_overdue_hazards.enqueue()
            self.stdout.write(f"已排入后台任务：{result.id}")
            return
        today = dt.date.fromisoformat(opts["today"]) if opts.get("today") else None
        n = hazards_overdue_sweep(today=today)
        self.stdout.write(f"新标记逾期未整改隐患{n}项（建议依《安全生产法》第一百零二条立案）。")
