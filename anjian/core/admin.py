"""Admin plumbing (who is a system administrator) and the audit trail.

Who may use it: superusers (in development), and staff users (``is_staff``) holding the role ``admin`` (系统管理员)
in their current membership. Django's own model permissions are not used for these models: a
staff user without the role sees none of them, whatever permissions it was given.

The legal configuration's admin (calendar, overrides, review catalogue, collective discussion) is
``anjian.legal.admin``; it uses ``SystemAdminOnly`` from here. The audit trail and the login locks
are not the system administrator's (三员分立): the audit administrator reads the audit at
``/audit/`` and the security administrator unlocks at ``/security/``; here only the development
superuser sees them, read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from anjian.core.audit import ACTIONS
from anjian.core.audit import visible as audit_visible
from anjian.core.models import AuditEvent
from anjian.core.scoping import scope_for

ADMIN_ROLE = "admin"  # org.choices.Role.ADMIN (core cannot import org)


def is_system_admin(request: HttpRequest) -> bool:
    """A superuser, or an active staff user whose current membership grants the role ``admin``."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser) or scope_for(user).has_role(ADMIN_ROLE)


class SystemAdminOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Visible and usable only by system administrators (see the module docstring)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# -- the audit trail -------------------------------------------------------------------------------


def is_development_superuser(request: HttpRequest) -> bool:
    """The demo's ``admin`` in development; nobody in production mode (三员分立)."""
    from anjian.core.admins import development_superuser

    return bool(request.user.is_staff) and development_superuser(request.user)


class DevelopmentSuperuserOnly(SystemAdminOnly):
    """Not the system administrator's: people's records (login locks) belong to the security
    administrator and the audit trail to the audit administrator (三员分立, core/views_admins.py).
    Only the development superuser still sees these admin pages, read-only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_development_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_development_superuser(request)


@admin.register(AuditEvent)
class AuditEventAdmin(DevelopmentSuperuserOnly):
    list_display = ["at", "actor_name", "action_label", "object_type", "object_id", "object_repr", "jurisdiction", "source_ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_id", "object_repr", "request_id", "note"]
    date_hierarchy = "at"
    list_select_related = ["jurisdiction"]
    readonly_fields = ["at", "actor", "actor_name", "action", "object_type", "object_id", "object_repr", "jurisdiction", "before", "after", "note", "request_id", "source_ip"]

    @admin.display(description="操作", ordering="action")
    def action_label(self, obj: AuditEvent) -> str:
        return ACTIONS.get(obj.action, obj.action)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return audit_visible(qs, scope_for(request.user))


# The login lockouts and their audited unlock (issue 8, item 9).
from anjian.core import auth_admin  # noqa: E402, F401
