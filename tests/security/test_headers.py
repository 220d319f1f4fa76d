"""Response headers (issue 8, headers): CSP without 'unsafe-inline', Permissions-Policy, no-store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import anjian
from anjian.core.middleware import CONTENT_SECURITY_POLICY


def directives(header: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.fixture
def officer(client: Client, world: Any) -> Client:
    client.force_login(world.user("officer_a"))
    return client


@pytest.mark.parametrize("path", ["/enterprises/", "/inspections/", "/hazards/", "/law/deadlines/", "/api/docs/"])
def test_pages_carry_a_csp_without_unsafe_inline(officer: Client, path: str) -> None:
    r = officer.get(path)
    assert r.status_code == 200
    csp = directives(r["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in r["Content-Security-Policy"] and "unsafe-eval" not in r["Content-Security-Policy"]
    assert r["Cache-Control"] == "no-store"
    assert "camera=(self)" in r["Permissions-Policy"] and "geolocation=()" in r["Permissions-Policy"]
    assert r["Referrer-Policy"] == "same-origin" and r["X-Content-Type-Options"] == "nosniff"


def test_the_login_page_carries_them_too(client: Client, world: Any) -> None:
    r = client.get("/login/")
    assert r["Content-Security-Policy"] == CONTENT_SECURITY_POLICY and "no-store" in r["Cache-Control"]


def test_only_redoc_relaxes_style_src_and_nothing_relaxes_script_src(officer: Client) -> None:
    r = officer.get("/api/redoc/")
    assert r.status_code == 200
    csp = directives(r["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"] and "'unsafe-inline'" in csp["style-src"]
    # no outside host named anywhere on the page
    assert not re.search(r"https?://(?!testserver)", r.content.decode())


def test_api_answers_and_exports_are_not_stored(officer: Client, ent_a: Any) -> None:
    r = officer.get("/api/v1/enterprises/")
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    r = officer.get(f"/api/v1/enterprises/{ent_a.pk}/")
    assert r["Cache-Control"] == "no-store"
    r = officer.get("/enterprises/export.xlsx")
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]


def test_static_files_stay_cacheable(client: Client) -> None:
    r = client.get("/static/anjian/app.css")
    assert r.status_code == 200
    assert "no-store" not in r.get("Cache-Control", "") and "Content-Security-Policy" not in r


def test_a_view_that_sets_its_own_cache_control_keeps_it(officer: Client) -> None:
    r = officer.get("/inspections/sw.js")
    assert r["Cache-Control"] == "no-cache"


def test_templates_have_no_inline_style_or_script() -> None:
    """The CSP forbids them; this names the template that would break before a browser does."""
    root = Path(anjian.__file__).parent
    bad = re.compile(r"""\son[a-z]+\s*=|hx-on|<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]|\sstyle\s*=""", re.IGNORECASE)
    comments = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)
    offenders = [
        f"{p.relative_to(root)}: {m.group(0)}" for p in root.rglob("templates/**/*.html") for m in bad.finditer(comments.sub("", p.read_text()))
    ]  # fmt: skip
    assert offenders == []


def test_template_comments_are_one_line() -> None:
    """Django's {# #} ends at the line's end; a multi-line one is printed on the page."""
    root = Path(anjian.__file__).parent
    offenders = [
        f"{p.relative_to(root)}:{n}" for p in root.rglob("templates/**/*.html") for n, line in enumerate(p.read_text().splitlines(), 1) if line.count("{#") != line.count("#}")
    ]
    assert offenders == []
