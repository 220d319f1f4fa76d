"""Benchmark of the Excel ledger import: time, and memory against the size of the file.

    .venv/bin/python bench/bench_import.py                      # 10,000 rows, SQLite in a temp dir
    .venv/bin/python bench/bench_import.py --rows 10000 --rows 40000   # compare memory
    ANJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --per-row-services 2000      # the path not taken, for reference

The parent process sets up the database (migrate, reference data, one city, one district bureau,
one officer) and writes the .xlsx files; each size is then imported in a fresh child process so
that its peak RSS belongs to that size alone. A child reports:

* ``traced peak``: tracemalloc's peak of Python allocations during one preview (a full parse and
  validation of every row, nothing written) — run first, on its own;
* ``preview s`` / ``commit s``: wall time of the preview and of the one-transaction commit
  (all rows new); ``re-import s``: preview + commit of the same file again (all rows unchanged);
  ``update-all s``: preview + commit of a file changing two columns of every row (all updates);
* ``RSS growth``: the peak resident memory (VmHWM, reset after Django start-up) minus the
  resident memory after start-up, over the whole run (traced preview, preview, commit, re-import).

Memory that does not grow with the file shows as the same ``traced peak`` for 10,000 and 40,000 rows,
apart from the in-file duplicate index (one short key per row, by design).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
os.environ.setdefault("ANJIAN_ALLOW_DEV_SECRET", "1")
if "ANJIAN_VAR_DIR" not in os.environ:
    os.environ["ANJIAN_VAR_DIR"] = tempfile.mkdtemp(prefix="bench_import_")

USERNAME = "bench_import_officer"


def _setup() -> None:
    import django

    django.setup()


def prepare_database() -> None:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from anjian.core.models import Division, Jurisdiction
    from anjian.enterprises import refdata_loader
    from anjian.org.models import Agency, Membership, RoleGrant, Staff

    call_command("migrate", verbosity=0)
    refdata_loader.load_sectors()
    refdata_loader.load_industries()
    refdata_loader.load_sample_schemes()
    Division.objects.get_or_create(code="370000", defaults={"name": "山东省", "level": "province"})
    Division.objects.get_or_create(code="370600", defaults={"name": "烟台市", "level": "city", "parent_id": "370000"})
    Division.objects.get_or_create(code="370602", defaults={"name": "芝罘区", "level": "county", "parent_id": "370600"})
    start = dt.date(2019, 1, 1)
    city, _ = Jurisdiction.objects.get_or_create(code="370600", defaults={"name": "烟台市", "kind": "city", "valid_from": start})
    district, _ = Jurisdiction.objects.get_or_create(code="370602", defaults={"name": "芝罘区", "kind": "district", "parent": city, "valid_from": start})
    district.divisions.add("370602")
    ac, _ = Agency.objects.get_or_create(name="烟台市应急管理局", defaults={"short_name": "市应急局", "doc_abbr": "烟应急", "level": "city", "jurisdiction": city})
    aa, _ = Agency.objects.get_or_create(name="烟台市芝罘区应急管理局", defaults={"short_name": "芝罘区应急局", "doc_abbr": "芝应急", "level": "district", "jurisdiction": district, "parent": ac})
    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        staff = Staff.objects.create(user=user, name="基准测试员")
        m = Membership.objects.create(staff=staff, agency=aa, valid_from=dt.date(2020, 1, 1))
        RoleGrant.objects.create(membership=m, role="officer")


def uscc(seq: int) -> str:
    from anjian.core.validators import USCC_ALPHABET, uscc_check_char

    tail = ""
    for _ in range(9):
        tail = USCC_ALPHABET[seq % 31] + tail
        seq //= 31
    body = ("91370602" + tail)[:17]
    return body + uscc_check_char(body)


def ledger_rows(rows: int, offset: int, variant: str = ""):  # type: ignore[no-untyped-def]
    """A realistic ledger: every name, code, phone and address distinct (as in a real file).
    ``variant`` changes the principal and the site address of every row (a re-import that updates)."""
    for i in range(rows):
        n = offset + i
        hazchem = i % 3 == 0
        yield [
            f"烟台基准测试{n:07d}有限公司",
            uscc(n),
            "否",
            "芝罘区" if i % 2 else "370602",
            f"法人{n}",
            f"负责人{n}{variant}",
            f"138{n:08d}",
            f"联系人{n}",
            f"0535-{n:07d}",
            f"山东省烟台市芝罘区注册路{n}号",
            "26" if hazchem else "34",
            "危险化学品·生产、危险化学品·储存" if hazchem else "工贸·机械",
            "粉尘涉爆、有限空间作业" if i % 5 == 0 else None,
            ["大型", "中型", "小型", "微型"][i % 4],
            10 + i % 900,
            "危险化学品企业安全风险分级(示例)" if hazchem else None,
            "ABCD"[i % 4] if hazchem else None,
            ["一级", "二级", "三级", "未达标"][i % 4],
            f"芝罘区生产路{n}号{variant}",
            "只楚街道",
        ]


def write_file(path: Path, rows: int, offset: int, *, shared_strings: bool = True, variant: str = "") -> None:
    """Write the ledger. Excel and WPS store text in a shared-strings table (xl/sharedStrings.xml),
    which a reader must look up by index; openpyxl writes inline strings instead. The default is
    the Excel layout, the harder case for memory."""
    from anjian.enterprises.importing import COLUMNS

    header = [c.header for c in COLUMNS]
    if not shared_strings:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("企业台账")
        ws.append(header)
        for values in ledger_rows(rows, offset, variant):
            ws.append(values)
        wb.save(path)
        return
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i + 1) for i in range(len(header))]
    strings: dict[str, int] = {}
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {ns}><sheetData>'.encode())
            for r, values in enumerate(_chain(header, ledger_rows(rows, offset, variant)), start=1):
                cells = []
                for letter, v in zip(letters, values, strict=True):
                    if v is None:
                        continue
                    if isinstance(v, int):
                        cells.append(f'<c r="{letter}{r}"><v>{v}</v></c>')
                    else:
                        cells.append(f'<c r="{letter}{r}" t="s"><v>{strings.setdefault(v, len(strings))}</v></c>')
                fh.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            fh.write(b"</sheetData></worksheet>")
        with zf.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">'.encode())
            for text in strings:
                fh.write(f"<si><t>{escape(text)}</t></si>".encode())
            fh.write(b"</sst>")
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        pkg = "http://schemas.openxmlformats.org/package/2006"
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        zf.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{pkg}/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
                    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>')
        zf.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
                    f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}">'
                    '<sheets><sheet name="企业台账" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
                    f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                    f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def _chain(first, rest):  # type: ignore[no-untyped-def]
    yield first
    yield from rest


def rss_mb(field: str = "VmRSS") -> float:
    """Current (VmRSS) or peak (VmHWM) resident memory of this process, from /proc (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere: the peak only


def reset_peak_rss() -> None:
    """Make VmHWM start again from the current RSS (Linux: ``echo 5 > /proc/self/clear_refs``)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def child(path: Path, changed: Path) -> dict[str, float | int | str]:
    _setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import UploadedFile
    from django.db import connection

    from anjian.enterprises import importing
    from anjian.enterprises.models import Enterprise

    user = get_user_model().objects.get(username=USERNAME)
    connection.ensure_connection()
    importing.Lookups(importing._require_writer(user), user)  # warm imports and caches before the baseline
    base_rss = rss_mb()
    reset_peak_rss()
    out: dict[str, float | int | str] = {"database": connection.vendor, "file MB": round(path.stat().st_size / 2**20, 2)}

    def start() -> importing.Job:
        with open(path, "rb") as fh:
            return importing.import_start(actor=user, upload=UploadedFile(fh, name=path.name, size=path.stat().st_size))

    tracemalloc.start()
    traced = start()
    out["traced peak MB"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    rows = traced.meta["preview"]["counts"]["rows"]
    out["rows"] = rows
    before = Enterprise.objects.count()

    t = time.perf_counter()
    job = start()
    out["preview s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    job = importing.import_commit(actor=user, token=job.token)
    out["commit s"] = round(time.perf_counter() - t, 2)
    counts = job.meta["result"]["counts"]
    assert counts["create"] == rows and counts["rejected"] == 0, counts
    assert Enterprise.objects.count() == before + rows
    out["total s"] = round(float(out["preview s"]) + float(out["commit s"]), 2)

    t = time.perf_counter()
    again = importing.import_commit(actor=user, token=start().token)
    out["re-import s"] = round(time.perf_counter() - t, 2)
    assert again.meta["result"]["counts"]["unchanged"] == rows, again.meta["result"]["counts"]
    assert Enterprise.objects.count() == before + rows

    t = time.perf_counter()
    with open(changed, "rb") as fh:
        job = importing.import_start(actor=user, upload=UploadedFile(fh, name=changed.name, size=changed.stat().st_size))
    job = importing.import_commit(actor=user, token=job.token)
    out["update-all s"] = round(time.perf_counter() - t, 2)
    assert job.meta["result"]["counts"]["update"] == rows, job.meta["result"]["counts"]
    out["RSS growth MB"] = round(rss_mb("VmHWM") - base_rss, 1)
    return out


def per_row_services(n: int) -> None:
    """Time ``services.enterprise_create`` per row, in one transaction (why the bulk path exists)."""
    _setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from anjian.core.models import Division, Jurisdiction
    from anjian.enterprises import services
    from anjian.enterprises.models import Enterprise

    user = get_user_model().objects.get(username=USERNAME)
    district = Jurisdiction.objects.get(code="370602")
    county = Division.objects.get(code="370602")
    offset = 50_000_000 + Enterprise.objects.filter(name__startswith="逐行服务").count()
    t = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            services.enterprise_create(actor=user, jurisdiction=district, name=f"逐行服务{offset + i}", uscc=uscc(offset + i), division=county,
                                       sectors=["hazchem.production"], features=["confined_space"], scale="small", employees=10)
    el = time.perf_counter() - t
    print(f"per-row services: {n} rows in {el:.2f} s = {el / n * 10000:.1f} s per 10,000 rows")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, action="append", help="rows per file; repeat to compare sizes (default 10000)")
    ap.add_argument("--per-row-services", type=int, metavar="N", help="time N calls of services.enterprise_create instead")
    ap.add_argument("--inline-strings", action="store_true", help="write text inline as openpyxl does, not in a shared-strings table as Excel does")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1])), ensure_ascii=False))
        return
    _setup()
    prepare_database()
    if args.per_row_services:
        per_row_services(args.per_row_services)
        return
    from django.db import connection

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    work = Path(tempfile.mkdtemp(prefix="bench_import_files_"))
    from anjian.enterprises.models import Enterprise

    # Fresh credit codes on every run against the same database: each run creates exactly its rows.
    offset = 10_000_000 + Enterprise.objects.filter(name__startswith="烟台基准测试").count()
    results = []
    for n in args.rows or [10000]:
        path = work / f"ledger_{n}.xlsx"
        t = time.perf_counter()
        write_file(path, n, offset, shared_strings=not args.inline_strings)
        changed = work / f"ledger_{n}_changed.xlsx"
        write_file(changed, n, offset, shared_strings=not args.inline_strings, variant="(变更)")
        offset += n
        layout = "inline strings" if args.inline_strings else "shared strings"
        print(f"wrote {path.name}: {n} rows, {layout}, {path.stat().st_size / 2**20:.2f} MB in {time.perf_counter() - t:.1f} s", flush=True)
        proc = subprocess.run([sys.executable, __file__, "--child", str(path), str(changed)], capture_output=True, text=True, env=os.environ.copy())
        if proc.returncode:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            raise SystemExit(proc.returncode)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    keys = ["rows", "file MB", "traced peak MB", "RSS growth MB", "preview s", "commit s", "total s", "re-import s", "update-all s"]
    print()
    print(" | ".join(f"{k:>14}" for k in keys))
    for r in results:
        print(" | ".join(f"{r[k]!s:>14}" for k in keys))


if __name__ == "__main__":
    main()
