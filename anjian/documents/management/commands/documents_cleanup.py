"""``anjian documents_cleanup [--delete] [--min-age-minutes N]``: files of documents whose issue rolled back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from anjian.documents.cleanup import orphans


class Command(BaseCommand):
    help = "列出（加--delete则删除）文书存储中没有文书记录对应的文件（签发事务回滚后遗留的文书、PDF和送达回证扫描件）。默认只列出，不删除。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="删除列出的文件（默认只列出）")
        parser.add_argument("--min-age-minutes", type=int, default=60, help="只处理早于此分钟数的文件，正在签发的文书不受影响（默认60）")

    def handle(self, *args: Any, **opts: Any) -> None:
        found = orphans(min_age=dt.timedelta(minutes=max(0, opts["min_age_minutes"])))
        for name in found:
            if opts["delete"]:
                default_storage.delete(name)
            self.stdout.write(("已删除 " if opts["delete"] else "无记录 ") + name)
        if opts["delete"]:
            self.stdout.write(f"共删除{len(found)}个无记录的文件。")
        else:
            self.stdout.write(f"共{len(found)}个无记录的文件（试运行，未删除；加--delete删除）。")
