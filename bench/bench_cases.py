"""Penalty-case speed (issue 9): a case page with 40 documents and 200 events answers in under
100 ms server time; the deadline board over 50,000 open cases in under 300 ms on PostgreSQL, with a
query count that does not grow with the number of cases.

Prepare once (PostgreSQL, the production database):
    psql -h 127.0.0.1 -U postgres -c 'create database bench_cases'
    export ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cases
    .venv/bin/anjian migrate && .venv/bin/anjian refdata load && .venv/bin/anjian calendar seed
    .venv/bin/anjian checklists sync && .venv/bin/anjian demo      # the ledger, the 芝罘区 cases and the year's activity
    .venv/bin/python bench/bench_cases.py --prepare      # adds the bulk rows below (once)
Run:
    ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cases .venv/bin/python bench/bench_cases.py [--n 30]

``--prepare`` gives one demo case 200 more timeline events and 40 issued documents (synthetic rows,
not rendered files: the page lists them, it does not open them), and adds open cases with two
deadlines each, spread over the districts, until 50,000 cases are open in 芝罘区 — the board of the
district bureau that holds them all is the worst case, and the city's leader sees them too.

"Server time" is the time Django takes to answer a request through the test client (routing,
middleware, queries, rendering), without network; DEBUG off.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from anjian.cases.choices import OPEN_STATUSES, CaseStatus  # noqa: E402
from anjian.cases.models import Case, CaseDeadline, CaseStep  # noqa: E402
from anjian.core import db  # noqa: E402
from anjian.documents.models import IssuedDocument  # noqa: E402
from bench._measure import measure  # noqa: E402

BIG_CASE_TITLE = "建设项目安全设施未经验收合格投入使用案"  # the demo's hearing case
OPEN_TARGET = 50_000
DISTRICT = "370602"



@transaction.atomic
def prepare() -> None:
    rng = random.Random(9)
    big = Case.objects.get(title=BIG_CASE_TITLE)
    actor = big.opened_by
    today = timezone.localdate()
    have_steps = big.steps.count()
    if have_steps < 200:
        CaseStep.objects.bulk_create(
            CaseStep(case=big, action="bench.event", label="办案记录", on=big.filed_on or today, actor=actor, actor_name="基准测试", summary=f"第{i}条办案记录（基准测试数据）")
            for i in range(200 - have_steps + 10)
        )
    have_docs = IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(big.pk)).count()
    if have_docs < 40:
        year = today.year
        start = (IssuedDocument.objects.filter(agency_id=big.owner_agency_id, year=year).order_by("-seq").values_list("seq", flat=True).first() or 0) + 1000
        IssuedDocument.objects.bulk_create(
            IssuedDocument(
                kind="bench_document", title="基准测试文书", year=year, seq=start + i, number=f"芝应急基准〔{year}〕{start + i}号", agency_id=big.owner_agency_id,
                agency_name=big.owner_agency.name, doc_abbr="芝应急", jurisdiction_id=big.jurisdiction_id, subject_type="cases.case", subject_id=str(big.pk),
                source=f"case:{big.pk}:bench_document:{i}", context={}, file=f"documents/{year}/bench-{i}.docx", sha256="0" * 64, size=1, template_version="bench",
                issued_on=today, issued_at=timezone.now(), issued_by=actor,
            )  # fmt: skip
            for i in range(40 - have_docs)
        )
    open_now = Case.objects.filter(jurisdiction__code=DISTRICT, status__in=OPEN_STATUSES).count()
    missing = OPEN_TARGET - open_now
    if missing > 0:
        template = Case.objects.filter(jurisdiction__code=DISTRICT, status=CaseStatus.NOTICE_SERVED).first() or big
        statuses = [CaseStatus.FILED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING, CaseStatus.SERVED]
        for chunk in range(0, missing, 5000):
            rows = []
            for i in range(chunk, min(chunk + 5000, missing)):
                due = today + dt.timedelta(days=rng.randint(-20, 120))
                rows.append(
                    Case(
                        jurisdiction_id=template.jurisdiction_id, owner_agency_id=template.owner_agency_id, title=f"基准测试案件{i}", party_type=template.party_type,
                        enterprise_id=template.enterprise_id, source="other", source_reason="基准测试", facts="基准测试", discovered_on=template.discovered_on,
                        status=rng.choice(statuses), opened_by=template.opened_by, filed_on=template.filed_on, next_due=due,
                    )  # fmt: skip
                )
            created = Case.objects.bulk_create(rows)
            deadlines = []
            for c in created:
                for code, name, article in (("decision_deadline", "作出行政处罚决定期限", "行政处罚法第六十条"), ("payment", "缴纳罚款期限", "行政处罚法第六十七条")):
                    deadlines.append(
                        CaseDeadline(
                            case=c, code=code, name=name, trigger_event="bench", trigger_date=c.filed_on or today, due=c.next_due, article=article,
                            rule_version="bench", calendar_version="bench",
                        )  # fmt: skip
                    )
            CaseDeadline.objects.bulk_create(deadlines)
            print(f"  +{len(created):,} open cases")
    db.analyze()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--prepare", action="store_true")
    args = ap.parse_args()
    if args.prepare:
        prepare()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    big = Case.objects.get(title=BIG_CASE_TITLE)
    docs = IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(big.pk)).count()
    open_d = Case.objects.filter(jurisdiction__code=DISTRICT, status__in=OPEN_STATUSES).count()
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}; case {big.pk}: {big.steps.count()} events, {docs} documents; open cases in {DISTRICT}: {open_d:,}")
    users = {u: get_user_model().objects.get(username=u) for u in ("zhifu_officer", "zhifu_leader", "city_leader")}
    urls = [("API case detail", f"/api/v1/cases/{big.pk}/"), ("API board (first 200)", "/api/v1/cases/board/"), ("API board offset 40000", "/api/v1/cases/board/?offset=40000")]
    for name, route, kwargs in (("page case", "cases:detail", {"pk": big.pk}), ("page board", "cases:board", {}), ("API case documents", None, {})):
        if route is None:
            urls.append((name, f"/api/v1/cases/{big.pk}/documents/"))
            continue
        try:
            urls.append((name, reverse(route, kwargs=kwargs)))
        except NoReverseMatch:
            print(f"(no route {route}: skipped)")
    print(f"{'user':<15}{'request':<26}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'status':>8}")
    for label, user in users.items():
        c = Client()
        c.force_login(user)
        for name, url in urls:
            med, p95, q, st = measure(c, url, args.n)
            print(f"{label:<15}{name:<26}{med:>10.1f}{p95:>9.1f}{q:>9}{st:>8}")


if __name__ == "__main__":
    main()
