"""``anjian calendar seed`` / ``anjian calendar import FILE.csv --source "国办发明电〔2026〕×号"`` /
``anjian calendar correct FILE.csv --source "更正依据文号"`` (a year already loaded: its old version
is kept, nothing stored is recomputed, the stored deadlines it would move are listed)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.legal import lawcal


class Command(BaseCommand):
    help = "工作日历：seed 从 chinese-calendar 载入2004–2026年尚未载入的年度；import 载入新公布年度的CSV（列：date，kind[，name]）；correct 更正已载入的年度。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["seed", "import", "correct", "status"])
        parser.add_argument("file", nargs="?")
        parser.add_argument("--source", default="", help="依据文件，如国务院办公厅通知的文号")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "seed":
            n = lawcal.seed_from_package()
            self.stdout.write(f"已载入2004–2026年节假日安排，共{n}个例外日。")
            return
        if action == "status":
            from anjian.legal.models import CalendarYear

            years = list(CalendarYear.objects.values_list("year", flat=True))
            self.stdout.write("已载入年度：" + (f"{min(years)}–{max(years)}（共{len(years)}年）" if years else "无"))
            return
        if not opts.get("file"):
            raise CommandError("请给出CSV文件：anjian calendar import 2027.csv --source 文号（更正已载入的年度用 correct）")
        if not opts["source"].strip():
            raise CommandError("请用 --source 写明依据文件（国务院办公厅节假日安排通知的文号）。")
        from anjian.core.errors import DomainError, ValidationFailed
        from anjian.legal.services import calendar_year_correct, calendar_year_load, parse_calendar_csv

        try:
            with open(opts["file"], encoding="utf-8-sig", newline="") as fh:
                rows = parse_calendar_csv(fh.read(), year=None)  # the same parser and kinds as the admin upload
        except ValidationFailed as exc:
            raise CommandError("".join(exc.fields.get("file", [exc.message]))) from None
        by_year: dict[int, list[tuple[dt.date, str, str]]] = defaultdict(list)
        for day, kind, name in rows:
            by_year[day.year].append((day, kind, name))
        if not by_year:
            raise CommandError("文件中没有数据行。")
        for year, days in sorted(by_year.items()):
            try:
                # Audited like the admin upload (actor None = the command line).
                if action == "correct":
                    change = calendar_year_correct(actor=None, year=year, rows=days, source=opts["source"].strip())
                else:
                    calendar_year_load(actor=None, year=year, rows=days, source=opts["source"].strip())
            except (DomainError, ValueError) as exc:
                raise CommandError(f"{year}年未{'更正' if action == 'correct' else '载入'}：{getattr(exc, 'message', exc)}") from exc
            if action == "correct":
                self.stdout.write(f"{year}年已更正为第{change.loaded.version}版，原版本已存档；已保存的期限未重算，其中{len(change.moved)}个按更正后日历会变化：")
                for m in change.moved:
                    self.stdout.write(f"  {m.what} {m.label}：已保存{m.stored.isoformat()}，更正后{m.recomputed.isoformat()}")
            else:
                self.stdout.write(f"{year}年已载入，{len(days)}个例外日。")
