"""Documents speed (issue 14, Speed).

    .venv/bin/python bench/bench_documents.py render [--n 30]     # one .docx, and raw python-docx on the same template
    .venv/bin/python bench/bench_documents.py pdf [--n 5]         # one PDF with a warm LibreOffice profile
    .venv/bin/python bench/bench_documents.py bundle [--docs 40]  # a 40-document bundle (index, merge, page numbers)
    ANJIAN_DATABASE_URL=postgres://…/bench_docs .venv/bin/python bench/bench_documents.py register --setup --rows 1000000
    ANJIAN_DATABASE_URL=postgres://…/bench_docs .venv/bin/python bench/bench_documents.py register [--n 30]

render, pdf and bundle need no database. ``register --setup`` writes ``--rows`` documents with SQL
(``INSERT … SELECT generate_series``) into a migrated PostgreSQL database, for one district; the
register is then timed through the test client as the district's officer (server time: routing,
middleware, queries and rendering, no network; DEBUG off; p50/p95 after one warm-up).

Results of 6 December 2026 on the shared 2-CPU machine (other workers' test suites running, load
1.7–5.6; timings vary by 2–3× with that load), LibreOffice 7.x headless, PostgreSQL 15:

    render      .docx p50 47.4 ms / p95 65.2 ms; raw python-docx on the same template p50 34.1 ms;
                ratio 1.39× (load 3.3). Under load 5.6: 164.7 ms vs 105.7 ms (1.56×). About a
                fifth of the render is the QR code (segno's mask search).
    pdf         first conversion 2.6 s (new profile); warm profile p50 1.14 s, p95 1.55 s (load 3.2);
                under load 5.6: p50 4.9 s. Each conversion still starts soffice (the profile is warm,
                the process is not).
    bundle 40   every document converted first (none had a PDF), 10 per LibreOffice run: 30.2 s,
                then index + merge + page numbers 10.0 s: 40.2 s, 122 pages (load 3.7). With one
                soffice run per document it was 111.7 s. When the PDFs exist (made on issue) the
                bundle is the last step only: 5–10 s.
    register    1,000,000 documents of one district (written in 95 s); first page p50 33.9 ms,
                p95 40.9 ms, 8 queries; page 500 (capped to the last of 200) 52.4 ms; kind + year
                68.1 ms; API first page 27.7 ms; "number or party contains" 647 ms without an index, 65.5 ms
                (p95 107 ms, with CI running beside it) with the trigram indexes of migration
                documents/0010 (pg_trgm on UPPER(number) and UPPER(party_name)). The count is capped
                at 10,000 (uncapped, the count alone took about 0.3 s and the first page's p50 was 276 ms).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")


def _ms(fn, n: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()  # warm
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[max(int(round(len(times) * 0.95)) - 1, 0)]


def _sample() -> tuple[object, dict[str, object], dict[str, object]]:
    import datetime as dt

    from anjian.documents import facts, registry
    from anjian.documents.rendering import common_context

    kind = registry.get("rectification_order")
    ctx = facts.normalise(
        {
            "party": {"name": "烟台示例化工有限公司"},
            "inspection_date": dt.date(2026, 11, 28),
            "problems": [{"text": f"问题{i}：危险化学品仓库可燃气体报警器失效", "basis": "《中华人民共和国安全生产法》第三十六条第一款"} for i in range(5)],
            "deadline": dt.date(2026, 12, 10),
            "officers": [{"name": "张伟", "certificate_no": "37060200123"}, {"name": "李娜", "certificate_no": "37060200456"}],
            "review_body": "烟台市芝罘区人民政府",
            "court": "烟台市芝罘区人民法院",
        }
    )
    common = common_context(
        kind=kind,
        agency_name="烟台市芝罘区应急管理局",
        doc_abbr="芝应急",
        number="芝应急责改〔2026〕1号",
        year=2026,
        seq=1,
        issued_on=dt.date(2026, 11, 28),
        verify_code="7KQ2M9XD3PWAH5TB",
    )
    return kind, ctx, common


def bench_render(n: int) -> None:
    """docxtpl through the core (facts, jinja sandbox, QR code) vs python-docx replacing the same
    template's simple placeholders in place (no loops, no QR: the floor of any .docx filling)."""
    import re

    from docx import Document

    from anjian.documents.rendering import render_docx

    kind, ctx, common = _sample()
    template = kind.template_path.read_bytes()  # type: ignore[attr-defined]
    flat = {**common, "party.name": "烟台示例化工有限公司", "review_body": ctx["review_body"], "court": ctx["court"], "deadline": "2026年12月10日"}
    pattern = re.compile(r"\{\{\s*([\w.]+)[^}]*\}\}")

    def raw() -> None:
        d = Document(io.BytesIO(template))
        for p in d.paragraphs:
            for r in p.runs:
                if "{{" in r.text:
                    r.text = pattern.sub(lambda m: str(flat.get(m.group(1), "")), r.text)
        for t in d.tables:
            for row in t.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        for r in p.runs:
                            if "{{" in r.text:
                                r.text = pattern.sub(lambda m: str(flat.get(m.group(1), "")), r.text)
        d.save(io.BytesIO())

    ours = _ms(lambda: render_docx(kind, ctx, common), n)  # type: ignore[arg-type]
    floor = _ms(raw, n)
    print(f"render .docx (rectification_order, 5 problems): p50 {ours[0]:.1f} ms, p95 {ours[1]:.1f} ms")
    print(f"raw python-docx, same template:                 p50 {floor[0]:.1f} ms, p95 {floor[1]:.1f} ms")
    print(f"ratio (p50): {ours[0] / floor[0]:.2f}×")


def bench_pdf(n: int) -> None:
    import tempfile

    from anjian.documents.rendering import convert_to_pdf, render_docx

    kind, ctx, common = _sample()
    data = render_docx(kind, ctx, common)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        t = time.perf_counter()
        convert_to_pdf(data, profile=profile)
        print(f"PDF, first conversion (new profile): {(time.perf_counter() - t) * 1000:.0f} ms")
        p50, p95 = _ms(lambda: convert_to_pdf(data, profile=profile), n)
        print(f"PDF, warm profile: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {n}")


def bench_bundle(docs_n: int) -> None:
    """A bundle of ``docs`` documents: each converted (the cold case: no PDF made on issue), then the
    index, the merge and the page numbers (``printing.assemble``, what the task does after that)."""
    import datetime as dt
    import tempfile
    from types import SimpleNamespace

    from anjian.documents.printing import CONVERT_CHUNK, assemble
    from anjian.documents.rendering import convert_many, convert_to_pdf, render_docx

    kind, ctx, common = _sample()
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        convert_to_pdf(render_docx(kind, ctx, common), profile=profile)  # type: ignore[arg-type]  # warm the profile
        t0 = time.perf_counter()
        docs, sources = [], []
        for i in range(docs_n):
            c = {**common, "number": f"芝应急责改〔2026〕{i + 1}号"}
            sources.append(render_docx(kind, ctx, c))  # type: ignore[arg-type]
            docs.append(SimpleNamespace(number=c["number"], title="责令限期整改指令书", issued_on=dt.date(2026, 11, 28), status="issued"))
        pdfs = []
        for start in range(0, docs_n, CONVERT_CHUNK):  # as the task does: one LibreOffice run per chunk
            pdfs += convert_many(sources[start : start + CONVERT_CHUNK], profile=profile)
        parts = [("责令改正指令书", d, p) for d, p in zip(docs, pdfs, strict=True)]
        t1 = time.perf_counter()
        data, pages = assemble("烟台示例化工有限公司案卷", parts, bundle=True)  # type: ignore[arg-type]
        t2 = time.perf_counter()
    print(
        f"bundle of {docs_n}: converting {docs_n} documents {t1 - t0:.1f} s; index + merge + page numbers {t2 - t1:.1f} s; total {t2 - t0:.1f} s; {pages} pages, {len(data) // 1024} KiB"
    )


def register_setup(rows: int) -> None:
    import django

    django.setup()
    from django.db import connection

    from anjian.documents.models import IssuedDocument
    from bench import _world

    w = _world.build()
    agency, user = w["agency"], w["users"][0]
    have = IssuedDocument.objects.count()
    if have >= rows:
        print(f"{have} documents already")
        return
    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute(
            """
            INSERT INTO documents_issueddocument
              (kind, title, year, seq, number, agency_id, agency_name, doc_abbr, jurisdiction_id, subject_type, subject_id, enterprise_id,
               party_name, verify_code, pdf, pdf_sha256, pdf_status, pdf_attempts, pdf_error, source, reissue_reason, context, file, sha256,
               size, template_version, issued_on, issued_at, issued_by_id, status, void_reason)
            SELECT k.kind, k.title, 2020 + (g %% 7), g, '芝应急' || k.word || '〔' || (2020 + (g %% 7)) || '〕' || g || '号', %s, '烟台市芝罘区应急管理局',
                   '芝应急', %s, 'bench.subject', g::text, NULL, '示例单位' || (g %% 5000), md5(g::text), '', '', '', 0, '', 'bench:' || g, '',
                   '{}'::jsonb, 'documents/bench/' || g || '.docx', md5(g::text) || md5(g::text), 20000, '2026.2',
                   date '2020-01-01' + (g %% 2500), timestamp with time zone '2020-01-01 08:00+08' + (g || ' minutes')::interval, %s,
                   CASE WHEN g %% 50 = 0 THEN 'voided' ELSE 'issued' END, CASE WHEN g %% 50 = 0 THEN '笔误' ELSE '' END
            FROM generate_series(%s, %s) AS g
            JOIN (VALUES (0, 'rectification_order', '责令限期整改指令书', '责改'), (1, 'inspection_record', '现场检查记录', '检记'),
                         (2, 'reinspection_opinion', '整改复查意见书', '复查')) AS k(i, kind, title, word) ON k.i = g %% 3
            """,
            [agency.pk, agency.jurisdiction_id, user.pk, have + 1, rows],
        )
        c.execute("ANALYZE documents_issueddocument")
    print(f"wrote {rows - have} documents in {time.perf_counter() - t:.0f} s")


def bench_register(n: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from anjian.documents.models import IssuedDocument
    from bench._measure import measure

    setup_test_environment()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench_officer0")
    client = Client()
    client.force_login(user)
    print(f"documents: {IssuedDocument.objects.count()}")
    for label, url in (
        ("register, first page", "/documents/"),
        ("register, page 500", "/documents/?page=500"),
        ("register, kind + year", "/documents/?kind=rectification_order&year=2024"),
        ("register, party contains", "/documents/?q=示例单位4321"),
        ("API, first page", "/api/v1/documents/"),
    ):
        p50, p95, queries, status = measure(client, url, n)
        print(f"{label:28s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries:3d} queries  HTTP {status}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["render", "pdf", "bundle", "register"])
    ap.add_argument("--n", type=int, default=0)
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--setup", action="store_true")
    a = ap.parse_args()
    if a.what != "register":
        import django

        django.setup()
    if a.what == "render":
        bench_render(a.n or 30)
    elif a.what == "pdf":
        bench_pdf(a.n or 5)
    elif a.what == "bundle":
        bench_bundle(a.docs)
    elif a.setup:
        register_setup(a.rows)
    else:
        bench_register(a.n or 30)


if __name__ == "__main__":
    main()
