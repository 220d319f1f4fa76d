from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core.errors import DomainError
from anjian.planning import services


class Command(BaseCommand):
    help = "载入本省的分级检查频次配置（JSON，格式同示例配置），启用后取代示例配置。用法：anjian planning load-profile 文件.json --code sd-2026 --name 名称 --province 370000 --source 依据文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load-profile"])
        parser.add_argument("path")
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--province", required=True)
        parser.add_argument("--source", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            data = json.loads(Path(opts["path"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取配置文件：{exc}") from None
        try:
            row = services.profile_load(actor=None, code=opts["code"], name=opts["name"], province=opts["province"], data=data, source=opts["source"])
        except DomainError as exc:
            details = "".join(f"（{k}：{'；'.join(v)}）" for k, v in exc.fields.items())
            raise CommandError(exc.message + details) from None
        self.stdout.write(self.style.SUCCESS(f"已载入并启用：{row}（适用{row.province}）。"))
