from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anjian.inspections.checklists import checklists_sync_from_law


class Command(BaseCommand):
    help = "根据法定重大事故隐患判定标准生成或更新检查表：anjian checklists sync"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sync"])

    def handle(self, *args: Any, **opts: Any) -> None:
        r = checklists_sync_from_law()
        self.stdout.write(f"检查表：新建{r['created']}份，更新版本{r['versioned']}份，未变{r['unchanged']}份。")
