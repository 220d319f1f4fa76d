"""Backup and restore times on the demo city (issue 10: report them).

    .venv/bin/python bench/bench_backup.py [--pg postgres://postgres@127.0.0.1:5432/postgres] [--work DIR]

Builds the demo city once in ``--work`` (default ``var/bench-backup``) on SQLite — the set-up of
scripts/start.sh: migrate, reference data, calendar, checklists, ``anjian demo``, ``anjian
demo_cases`` (a few minutes; kept for the next run) — then times ``anjian backup`` and ``anjian
restore`` into an empty database. With ``--pg`` (a server URL; its database part is ignored) the
same on PostgreSQL: scratch databases ``bench_backup_src`` (demo, kept) and ``bench_backup_dst``
(restore target, recreated each run) are created on that server.

Every step runs as the operator runs it, a separate ``anjian`` process, so the times include
process start-up (about 2 s) and, for restore, the verification (hashes, row counts, audit chain).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
ANJIAN = [sys.executable, "-m", "anjian.cli"]


def run(env: dict[str, str], *args: str) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([*ANJIAN, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"anjian {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - t0


def prepare(env: dict[str, str]) -> None:
    t0 = time.perf_counter()
    for step in (["migrate", "--noinput", "-v0"], ["refdata", "load"], ["calendar", "seed"], ["checklists", "sync"], ["demo", "--if-empty"], ["demo_cases", "--if-empty"]):
        run(env, *step)
    print(f"  demo city ready in {time.perf_counter() - t0:.0f} s")


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(label: str, env: dict[str, str], target_url: str, work: Path) -> None:
    out = work / f"backups-{label}"
    shutil.rmtree(out, ignore_errors=True)
    t_backup = run(env, "backup", "--out", str(out))
    (backup_dir,) = [p for p in out.iterdir() if p.name.startswith("anjian-backup-")]
    manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    media = work / f"restored-media-{label}"
    shutil.rmtree(media, ignore_errors=True)
    t_restore = run(env, "restore", str(backup_dir), "--target-db", target_url, "--media-root", str(media))
    rows = sum(manifest["tables"].values())
    print(
        f"{label}: {len(manifest['tables'])} tables, {rows:,} rows, {manifest['tables'].get('enterprises_enterprise', 0):,} units, "
        f"{manifest['audit']['events'] or 0:,} audit events, {len(manifest['files']) - 1} files; backup {size_of(backup_dir) / 1e6:.1f} MB\n"
        f"  backup {t_backup:.1f} s; restore (verify, restore, row counts, audit chain) {t_restore:.1f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=ROOT / "var" / "bench-backup")
    ap.add_argument("--pg", default="", help="a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    args = ap.parse_args()
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith("ANJIAN_")}
    base.update({"DJANGO_SETTINGS_MODULE": "anjian.settings", "PYTHONPATH": str(ROOT), "ANJIAN_SECRET_KEY": "bench-backup-secret", "ANJIAN_AUDIT_KEY": "bench-backup-audit-key"})

    env = {**base, "ANJIAN_VAR_DIR": str(work / "sqlite")}
    print("SQLite: preparing the demo city …")
    prepare(env)
    target = work / "restored.sqlite3"
    for p in work.glob("restored.sqlite3*"):
        p.unlink()
    measure("sqlite", env, f"sqlite:///{target}", work)

    if args.pg:
        import psycopg

        parts = urlsplit(args.pg)

        def url(db: str) -> str:
            return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))

        admin = url("postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_backup_src'").fetchone():
                conn.execute("CREATE DATABASE bench_backup_src")
            conn.execute("DROP DATABASE IF EXISTS bench_backup_dst WITH (FORCE)")
            conn.execute("CREATE DATABASE bench_backup_dst")
        env = {**base, "ANJIAN_VAR_DIR": str(work / "pg"), "ANJIAN_DATABASE_URL": url("bench_backup_src")}
        print("PostgreSQL: preparing the demo city …")
        prepare(env)
        measure("postgresql", env, url("bench_backup_dst"), work)


if __name__ == "__main__":
    main()
