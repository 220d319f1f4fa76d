from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core import audit_chain


class Command(BaseCommand):
    help = (
        "审计记录防篡改：verify 校验审计链（找出被修改、插入或删除的记录，指出第一处断点）；"
        "seal 将新记录加入审计链；purge 按保存期（不少于六个月）清理并留下可校验的清理标记。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "seal", "purge"])
        parser.add_argument("--retention-days", type=int, default=None, help="purge：保存期（日），默认取 ANJIAN_AUDIT_RETENTION_DAYS")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "seal":
            try:
                n = audit_chain.seal()
            except audit_chain.ChainBroken as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"已将{n}条审计记录加入审计链。")
            return
        if action == "purge":
            try:
                n = audit_chain.purge(retention_days=opts["retention_days"])
            except (ValueError, audit_chain.ChainBroken) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"已清理审计记录{n}条，并记录清理标记。")
            return
        result = audit_chain.verify(progress=lambda n: self.stdout.write(f"  已校验{n:,}条……"))
        span = f"第{result.first_seq}号至第{result.last_seq}号" if result.first_seq is not None else "（无已封存记录）"
        self.stdout.write(f"校验审计链{span}，共{result.checked:,}条，未封存{result.unsealed:,}条，用时{result.seconds:.1f}秒。")
        if not result.ok:
            for line in result.problems:
                self.stderr.write(line)
            raise CommandError("审计链校验未通过：第一处断点见上。")
        self.stdout.write(self.style.SUCCESS("审计链完整，未发现篡改。"))
