from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core import backup


class Command(BaseCommand):
    help = (
        "从备份恢复：先校验清单签名和每个文件的 SHA-256（不符即拒绝，不做任何更改），再恢复到空数据库，"
        "核对各表行数并校验审计链；任何不符都撤销已恢复的内容。须使用制作备份时的 ANJIAN_AUDIT_KEY。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="备份目录（anjian-backup-<时间>/）")
        parser.add_argument("--target-db", default=None, help="目标数据库地址（默认为本系统配置的数据库），如 postgres://anjian@127.0.0.1/anjian_new")
        parser.add_argument("--media-root", type=Path, default=None, help="文件恢复到的目录（默认 ANJIAN_MEDIA_ROOT）")
        parser.add_argument("--force", action="store_true", help="目标数据库或文件目录不是空的时仍然恢复（覆盖现有数据；原文件目录改名保留）")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = backup.restore(opts["source"], target_url=opts["target_db"], force=opts["force"], media_root=opts["media_root"], log=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"恢复完成：{result.tables}张表、{result.rows:,}行与清单一致，文件{result.files}个校验一致，审计链校验{result.audit_checked:,}条通过；用时{result.seconds:.1f}秒。"
        )
        if result.media_moved_to:
            self.stdout.write(f"原文件目录已改名保留为{result.media_moved_to}。")
        if opts["target_db"]:
            self.stdout.write(
                "目标不是本系统配置的数据库：切换到该数据库时，将备份清单中的审计链链头写入其 ANJIAN_VAR_DIR/audit-anchor.json（或运行 anjian audit verify 前先运行 anjian audit seal）。"
            )
