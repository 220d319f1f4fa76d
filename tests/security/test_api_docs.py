"""The API reference (issue 8, items N and O): in the user menu of administrators only, behind the
login, and made of local files only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client


def nav_and_menu(client: Client) -> tuple[str, str]:
    page = client.get("/enterprises/").content.decode()
    assert "{#" not in page and "#}" not in page  # a template comment that leaked into the page
    nav = page[page.index('<ul class="navbar-nav me-auto">') : page.index("</ul>", page.index('<ul class="navbar-nav me-auto">'))]
    menu = page[page.index('class="dropdown-menu dropdown-menu-end"') :]
    return nav, menu


@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "legal_a", "office_a", "officer_city"])
def test_officers_see_no_api_link(client: Client, world: Any, persona: str) -> None:
    client.force_login(world.user(persona))
    nav, menu = nav_and_menu(client)
    assert "API" not in nav and "/api/docs/" not in menu


def test_the_administrator_finds_it_in_the_user_menu(client: Client, world: Any) -> None:
    client.force_login(world.user("admin_a"))
    nav, menu = nav_and_menu(client)
    assert "API" not in nav
    assert 'href="/api/docs/"' in menu and "API文档（系统对接）" in menu


@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/?script=", "/api/redoc/", "/api/schema/"])
def test_the_pages_need_a_login(client: Client, db: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_the_pages_name_no_outside_host(client: Client, world: Any) -> None:
    client.force_login(world.user("admin_a"))
    for path in ["/api/docs/", "/api/docs/?script=", "/api/redoc/"]:
        r = client.get(path)
        assert r.status_code == 200
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", r.content.decode()), path
    # the Redoc bundle is served without the CDN logo it would otherwise fetch
    bundle = client.get("/api/redoc/redoc.standalone.js").content
    assert b"cdn.redoc.ly" not in bundle and b"Redoc" in bundle
