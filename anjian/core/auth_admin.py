"""Admin page 登录锁定: the current login-failure counts, and the audited unlock (issue 8, item 9).

三员分立 (issue 10, item 3): only the security administrator unlocks accounts, on its own page
(``/security/``, core/views_admins.py). The system administrator no longer sees this admin page;
the development superuser does (and may also unlock a source address). In production the server
operator's ``anjian unlock`` remains. The unlock goes through ``anjian.core.auth.login_unlock``
(auth.unlock in the audit trail, naming the administrator).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from anjian.core.admin import DevelopmentSuperuserOnly
from anjian.core.auth import login_unlock
from anjian.core.models import LoginLock
from anjian.core.scoping import scope_for

REASON = "开发环境超级管理员在管理后台解除锁定"


def _visible_usernames(request: HttpRequest, usernames: set[str]) -> set[str]:
    """The login names among ``usernames`` that belong to staff of the administrator's jurisdictions."""
    if request.user.is_superuser:
        return usernames
    own = scope_for(request.user).agency_jurisdiction_ids
    User = get_user_model()
    users = User._default_manager.filter(**{f"{User.USERNAME_FIELD}__in": sorted(usernames)})
    return {u.get_username() for u in users if scope_for(u).jurisdiction_id in own}


@admin.register(LoginLock)
class LoginLockAdmin(DevelopmentSuperuserOnly):
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "locked", "path_info"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    fields = ("username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time")
    readonly_fields = ("username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time")
    actions = ["unlock_usernames", "unlock_sources"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LoginLock]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        names = set(qs.exclude(username__isnull=True).values_list("username", flat=True))
        return qs.filter(username__in=sorted(_visible_usernames(request, names)))

    @admin.display(description="锁定中", boolean=True)
    def locked(self, obj: LoginLock) -> bool:
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT and obj.attempt_time >= timezone.now() - settings.AXES_COOLOFF_TIME

    @admin.action(description="解除所选用户名的登录锁定（记入审计）")
    def unlock_usernames(self, request: HttpRequest, queryset: QuerySet[LoginLock]) -> None:
        names = {n for n in queryset.values_list("username", flat=True) if n}
        allowed = _visible_usernames(request, names)
        for name in sorted(allowed):
            login_unlock(actor=request.user, username=name, reason=REASON)
        if allowed:
            self.message_user(request, f"已解除{len(allowed)}个用户名的登录锁定：{'、'.join(sorted(allowed))}。", messages.SUCCESS)
        if names - allowed:
            self.message_user(request, "其余用户名不属于本机关，不能解锁。", messages.WARNING)

    @admin.action(description="解除所选来源IP的登录锁定（仅超级管理员，记入审计）")
    def unlock_sources(self, request: HttpRequest, queryset: QuerySet[LoginLock]) -> None:
        if not request.user.is_superuser:
            # A source address is shared by every bureau behind it: only the deployment's superuser lifts it.
            self.message_user(request, "来源IP的锁定只能由超级管理员解除。", messages.ERROR)
            return
        ips = sorted({ip for ip in queryset.values_list("ip_address", flat=True) if ip})
        for ip in ips:
            login_unlock(actor=request.user, ip_address=ip, reason=REASON)
        self.message_user(request, f"已解除{len(ips)}个来源IP的登录锁定。", messages.SUCCESS)
