from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.cases import demo


class Command(BaseCommand):
    help = "生成演示案件：芝罘区应急管理局各办案阶段的行政处罚案件（须先运行 anjian demo）。用法：anjian demo_cases [--if-empty]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="已有案件时不生成")

    def handle(self, *args: Any, **opts: Any) -> None:
        if demo.has_cases():
            if opts["if_empty"]:
                self.stdout.write("数据库中已有案件，未生成演示案件。")
                return
            raise CommandError("数据库中已有案件：演示案件只能生成到没有案件的数据库。")
        try:
            result = demo.generate(progress=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"演示案件已生成，共{len(result.titles)}件："))
        for line in result.titles:
            self.stdout.write(f"  {line}")
