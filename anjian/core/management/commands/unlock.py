"""``anjian unlock USER --reason "已核实为本人"`` / ``anjian unlock --ip 10.1.2.3 --reason …``: lift a login lockout."""

from __future__ import annotations

import getpass
from typing import Any

from axes.models import AccessAttempt
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from anjian.core.auth import login_unlock
from anjian.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "解除登录锁定（连续登录失败5次锁定30分钟）；解锁记入审计。不带参数时列出当前的失败记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="", help="被锁定的用户名")
        parser.add_argument("--ip", default="", help="被锁定的来源IP")
        parser.add_argument("--reason", default="", help="解锁原因（必填，例如“已电话核实为本人”）")

    def handle(self, *args: Any, **opts: Any) -> None:
        username, ip = opts["username"], opts["ip"]
        if not username and not ip:
            self._list()
            return
        # Run on the server by its operator: the audit names the operating-system account.
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        try:
            removed = login_unlock(actor=None, username=username, ip_address=ip, reason=opts["reason"], actor_name=f"命令行（{who}）")
        except ValidationFailed as e:
            raise CommandError(e.message + "".join(f"{v[0]}" for v in e.fields.values())) from None
        target = "、".join(x for x in [f"用户名{username}" if username else "", f"来源IP {ip}" if ip else ""] if x)
        if removed:
            self.stdout.write(f"已解除{target}的登录锁定（清除{removed}条失败记录），已记入审计。")
        else:
            self.stdout.write(f"{target}没有登录失败记录，无需解锁（已记入审计）。")

    def _list(self) -> None:
        rows = AccessAttempt.objects.order_by("-attempt_time")[:50]
        if not rows:
            self.stdout.write("当前没有登录失败记录。")
            return
        for a in rows:
            when = timezone.localtime(a.attempt_time).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{when}  用户名：{a.username or '-'}  来源IP：{a.ip_address or '-'}  失败{a.failures_since_start}次")
