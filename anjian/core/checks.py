"""``manage.py check --deploy`` warnings for the separated administrators (issue 10, item 3)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def production_mode(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    from anjian.core import admins, otp

    found: list[Warning] = []
    if not admins.production():
        found.append(Warning("未开启生产模式（ANJIAN_PRODUCTION=1）：超级管理员仍可登录，三员分立未强制执行。", hint="生产部署请设置 ANJIAN_PRODUCTION=1（见 docs/operator-guide.md“三员分立”）。", id="anjian.W010"))
        return found
    try:
        n = get_user_model()._default_manager.filter(is_superuser=True, is_active=True).count()
    except DatabaseError:  # the check runs before migrate too
        n = 0
    if n:
        found.append(Warning(f"生产模式下仍有{n}个启用的超级管理员账号（不能登录，但应停用）。", hint="anjian shell 中将其 is_active 设为 False，或在开发环境之外删除。", id="anjian.W011"))
    if getattr(settings, "OTP_REQUIRED_FOR", None) is not None and not otp.required_roles():
        found.append(Warning("生产模式下没有任何角色被要求使用动态口令（ANJIAN_OTP_REQUIRED_FOR 为空）。", hint="删除该设置以使用默认值（三类管理员、领导、法制审核人员），或列出角色。", id="anjian.W012"))
    return found
