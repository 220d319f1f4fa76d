from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from anjian.stats import indicators_docs, rollups
from anjian.stats.tasks import refresh_rollups


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name}应为YYYY-MM-DD格式的日期：{value}") from None


class Command(BaseCommand):
    help = (
        "调度统计：refresh 把日汇总更新到今天（--full 全部重算；--enqueue 交给后台 worker；每日在隐患逾期检查之后运行）；"
        "check 用原始数据逐月、季、年重新计数，与日汇总比对，列出每一处差异（有差异时退出码为1）；docs 输出指标说明（docs/indicators.md）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh", "check", "docs"])
        parser.add_argument("--from", dest="start", help="check：起始日期（YYYY-MM-DD），默认本年1月1日")
        parser.add_argument("--to", dest="end", help="check：截止日期（YYYY-MM-DD），默认今天")
        parser.add_argument("--upto", help="refresh：汇总至该日（YYYY-MM-DD），默认今天")
        parser.add_argument("--full", action="store_true", help="refresh：清空后全部重算（批量导入数据之后使用）")
        parser.add_argument("--enqueue", action="store_true", help="refresh：排入后台任务队列")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "docs":
            self.stdout.write(indicators_docs.markdown(), ending="")
            return
        if action == "refresh":
            if opts["enqueue"]:
                self.stdout.write(f"已排入后台任务：{refresh_rollups.enqueue().id}")
                return
            if opts["full"]:
                result = rollups.rebuild()
            else:
                result = rollups.refresh(upto=_date(opts.get("upto"), "--upto"), today_too=True)
            parts = "；".join(f"{fam} {a}至{b}" for fam, (a, b) in sorted(result.recomputed.items())) or "无需重算"
            self.stdout.write(f"日汇总已更新至{result.through}：{parts}；写入{result.rows}行。")
            return
        today = timezone.localdate()
        start = _date(opts.get("start"), "--from") or dt.date(today.year, 1, 1)
        end = _date(opts.get("end"), "--to") or today
        if start > end:
            raise CommandError("--from 不能晚于 --to。")
        if rollups.through() is None:
            self.stdout.write("尚未生成日汇总，请先运行 anjian stats refresh。")
            sys.exit(1)
        diffs = rollups.check(start, end)
        for d in diffs:
            self.stdout.write(str(d))
        if diffs:
            self.stdout.write(f"共{len(diffs)}处差异：请运行 anjian stats refresh --full 重算。")
            sys.exit(1)
        self.stdout.write(f"日汇总与原始数据一致（{start}至{min(end, rollups.through() or end)}）。")
