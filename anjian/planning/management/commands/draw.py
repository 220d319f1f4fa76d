from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core.ids import parse_id
from anjian.planning import services
from anjian.planning.models import Draw


class Command(BaseCommand):
    help = "双随机抽取核验：按记录的对象库、人员库和公开输入重新抽取，核对结果是否一致。用法：anjian draw verify <编号>"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("draw_id")

    def handle(self, *args: Any, **opts: Any) -> None:
        pk = parse_id(opts["draw_id"])
        d = Draw.objects.select_related("owner_agency").filter(pk=pk).first() if pk is not None else None
        if d is None:
            raise CommandError("抽取记录不存在。")
        ok, message = services.draw_verify(d)
        self.stdout.write(f"{d}（公开编号{d.public_id}）")
        self.stdout.write(f"对象库SHA-256：{d.commitment.get('units_sha256', '')}")
        self.stdout.write(f"执法人员库SHA-256：{d.commitment.get('officers_sha256', '')}")
        self.stdout.write(f"随机种子：{d.seed}")
        if not ok:
            raise CommandError(f"核验未通过：{message}")
        self.stdout.write(self.style.SUCCESS(f"核验通过：{message}"))
