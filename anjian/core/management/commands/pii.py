from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core import crypto, pii


class Command(BaseCommand):
    help = (
        "个人信息加密存储：status 列出各字段的密文所用密钥；"
        "rotate 用当前密钥（ANJIAN_PII_KEYS 的第一个）重新加密全部身份证号码和电话号码并更新检索码，分批进行，可重复执行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "rotate"])
        parser.add_argument("--batch", type=int, default=500, help="rotate：每批行数（每批一个事务）")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"当前密钥：{crypto.current_key_id()}，算法：{crypto.current_cipher()}（本机可用：{'、'.join(crypto.available_ciphers())}）")
        if opts["action"] == "status":
            for column, counts in pii.key_usage().items():
                shown = "，".join(f"{k} {v}条" for k, v in sorted(counts.items())) or "无数据"
                self.stdout.write(f"  {column}：{shown}")
            return
        if opts["batch"] < 1:
            raise CommandError("--batch 须为正整数。")
        try:
            results = pii.pii_rotate(batch=opts["batch"], progress=lambda r: self.stdout.write(f"  {r.table}：{r.rows}行，重新加密{r.rewritten}行"))
        except crypto.PiiKeyError as exc:
            raise CommandError(f"{exc} 请在 ANJIAN_PII_KEYS 中保留旧密钥，直到轮换完成。") from exc
        total = sum(r.rewritten for r in results)
        self.stdout.write(self.style.SUCCESS(f"密钥轮换完成：重新加密{total}行；旧密钥已不再使用，可从 ANJIAN_PII_KEYS 中删除。"))
