"""Personas of the legal-configuration tests beyond the shared world (tests/conftest.py):
the administrators and legal reviewers of the city bureau and of the functional zone.

The zone is its own jurisdiction (code ``370671``, a child of the city 370600). ``zone_code`` lets a
test give it the demo's form of code (``370600-KFQ``), whose first six characters are the city's.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import _person

EXTRA = {
    "admin_city": ("agency_city", ["admin"]),
    "legal_city": ("agency_city", ["legal_reviewer"]),
    "admin_zone": ("agency_zone", ["admin"]),
    "legal_zone": ("agency_zone", ["legal_reviewer"]),
    "legal_b": ("agency_b", ["legal_reviewer"]),
    "admin_b": ("agency_b", ["admin"]),
}
ADMINS = ("admin_a", "admin_b", "admin_city", "admin_zone")


def add_personas(world: Any, *, zone_code: str | None = None) -> Any:
    """Add the extra personas to ``world`` (administrators get the staff flag the admin needs)."""
    if zone_code is not None:
        world.zone.code = zone_code
        world.zone.save(update_fields=["code"])
    for name, (agency, roles) in EXTRA.items():
        if name not in world.users:
            world.users[name] = _person({}, name, getattr(world, agency), roles, cert=False)
    for name in ADMINS:
        user = world.user(name)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return world
