"""The one pager of the plain lists (includes/pager.html): numbered, with gaps, keeping filters."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from anjian.core.templatetags.anjian_forms import elided_pages


def test_elided_pages_shows_ends_neighbours_and_gaps() -> None:
    p = Paginator(range(1000), 10)  # 100 pages
    assert elided_pages(p.page(1)) == [1, 2, 3, None, 100]
    assert elided_pages(p.page(50)) == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert elided_pages(p.page(4)) == [1, 2, 3, 4, 5, 6, None, 100]
    assert elided_pages(p.page(100)) == [1, None, 98, 99, 100]
    assert elided_pages(Paginator(range(30), 10).page(2)) == [1, 2, 3]


def test_the_pager_keeps_the_filters_and_says_where_it_is() -> None:
    request = RequestFactory().get("/hazards/", {"status": "open", "page": "7"})
    page = Paginator(range(200), 10).page(7)
    html = Template('{% include "includes/pager.html" %}').render(Context({"page": page, "request": request}))
    assert "第7页，共20页" in html
    assert 'href="?status=open&amp;page=6"' in html and 'href="?status=open&amp;page=8"' in html
    assert 'href="?status=open&amp;page=20"' in html and "…" in html
    assert Template('{% include "includes/pager.html" %}').render(Context({"page": Paginator(range(5), 10).page(1), "request": request})).strip() == ""
