"""Personas of the organisation pages (issue 10 item 1), added to the shared ``world``:
district A's security administrator, and the offices of district B and of the city bureau."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import _person


@pytest.fixture
def org(world: Any) -> Any:
    world.users["security_admin_a"] = _person({}, "security_admin_a", world.agency_a, ["security_admin"], cert=False)
    world.users["office_b"] = _person({}, "office_b", world.agency_b, ["office"], cert=False)
    world.users["office_city"] = _person({}, "office_city", world.agency_city, ["office"], cert=False)
    return world
