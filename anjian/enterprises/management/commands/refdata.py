from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.enterprises import refdata_loader


class Command(BaseCommand):
    help = "加载参考数据：行政区划、国民经济行业分类、监管行业与领域特征、示例风险分级方案。用法：anjian refdata load [--divisions 全国区划.csv]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--divisions", help="区划CSV（code,name,level,parent_code），默认使用项目自带的山东省数据")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            counts = refdata_loader.load_all(opts.get("divisions"))
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("参考数据已加载：" + ",".join(f"{k} {v}" for k, v in counts.items()))
