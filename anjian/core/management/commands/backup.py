from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core import backup


class Command(BaseCommand):
    help = (
        "备份：PostgreSQL 以 pg_dump 自定义格式（SQLite 以在线备份接口）导出数据库，复制上传和出具的文件，"
        "并写入清单（各文件 SHA-256、各表行数、审计链链头、迁移状态、软件版本），以审计密钥签名。"
        "先写入临时目录，完成后改名，中途失败不留下残缺的备份。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=None, help="备份存放目录（默认 ANJIAN_VAR_DIR/backups）；其下生成 anjian-backup-<时间>/")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = backup.create(out=opts["out"], log=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        m = result.manifest
        rows = sum(m["tables"].values())
        self.stdout.write(
            f"备份完成：{result.path}\n"
            f"  数据库（{m['database']['vendor']}）{len(m['tables'])}张表，{rows:,}行；文件{len(m['files']) - 1}个；"
            f"审计链链头第{m['audit']['head_seq'] or 0}号；用时{result.seconds:.1f}秒。"
        )
