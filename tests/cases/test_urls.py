"""Every page of the cases app is reachable at its own address: a stage's path that another stage's
pattern answers first (the case file once sat behind the filing step's ``<id>/file/``) fails here."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse


def _names(patterns: list[URLPattern | URLResolver], ns: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out += _names(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif p.name:
            out.append((f"{ns}{p.name}", str(p.pattern)))
    return out


def test_every_case_page_resolves_to_itself() -> None:
    names = [(n, pat) for n, pat in _names(get_resolver().url_patterns) if n.startswith("cases:")]
    assert len(names) > 40
    for name, pattern in names:
        kwargs = {k: ("x" if conv == "slug" else 7) for conv, k in re.findall(r"<(?:(\w+):)?(\w+)>", pattern)}
        kwargs = {k: ("approve" if k == "action" else v) for k, v in kwargs.items()}
        url = reverse(name, kwargs=kwargs)
        match = resolve(url)
        assert f"{match.namespace}:{match.url_name}" == name, f"{url} is answered by {match.namespace}:{match.url_name}, not {name}"
