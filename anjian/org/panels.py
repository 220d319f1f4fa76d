"""Panels that higher apps add to a staff member's page (``org/staff_detail.html``).

``org`` sits below the apps that hold records about a person (complaints, cases), so it cannot read
them; each such app registers a provider here from its ``AppConfig.ready`` (like
``enterprises.selectors.register_measure_provider``). A provider decides for itself whether the
signed-in user may see anything about that person and answers ``None`` when not: the panel is then
absent from the page, not merely empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from anjian.org.models import Staff


@dataclass(frozen=True)
class StaffPanel:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    link: str = ""  # the page with the whole record
    link_text: str = ""
    note: str = ""  # who may see it, in one sentence
    testid: str = "staff-panel"


StaffPanelProvider = Callable[[Any, Staff], StaffPanel | None]
_providers: list[StaffPanelProvider] = []


def register_staff_panel(provider: StaffPanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def staff_panels(user: Any, staff: Staff) -> list[StaffPanel]:
    out = []
    for provider in _providers:
        panel = provider(user, staff)
        if panel is not None:
            out.append(panel)
    return out
