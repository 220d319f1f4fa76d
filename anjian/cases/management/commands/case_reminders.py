from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anjian.cases.casefile import case_reminders, reminder_days
from anjian.cases.tasks_casefile import case_reminders as case_reminders_task


class Command(BaseCommand):
    help = "案件：提醒承办人员下一法定环节即将届满或已逾期的案件（每日由 cron 或 systemd timer 调用，同一天重复运行不重复提醒）；加 --enqueue 交给后台 worker。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按指定日期检查（YYYY-MM-DD），默认今天")
        parser.add_argument("--days", type=int, help="提前提醒的工作日数，默认取设置 ANJIAN_CASE_REMINDER_DAYS（3）")
        parser.add_argument("--enqueue", action="store_true", help="排入后台任务队列")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["enqueue"]:
            result = case_reminders_task.enqueue()
            self.stdout.write(f"已排入后台任务：{result.id}")
            return
        today = dt.date.fromisoformat(opts["today"]) if opts.get("today") else None
        days = opts["days"] if opts.get("days") is not None else reminder_days()
        n = case_reminders(today=today, days=days)
        self.stdout.write(f"新生成办案提醒{n}条（提前{days}个工作日及已逾期的案件）。")
