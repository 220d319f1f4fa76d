from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from anjian.core.scoping import scope_for


def anjian(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"scope": scope_for(user) if user is not None else None}
