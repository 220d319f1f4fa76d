"""Backup and restore (issue 10, item 7; 等保 level 3: tested backups).

A backup is one directory ``anjian-backup-<time>/``:

- ``database.dump`` — PostgreSQL custom format (``pg_dump -Fc``), or ``database.sqlite3`` — a copy
  through SQLite's online backup API (a consistent copy while the system runs);
- ``media/…`` — the uploaded and issued files (``MEDIA_ROOT``: issued documents, service scans,
  evidence, rectification material; not the half-uploaded pieces in ``uploads-tmp``);
- ``manifest.json`` — SHA-256 and size of every file above, the row count of every table, the head
  of the audit chain, the applied migrations, the software version and the time; signed with an
  HMAC under the audit key (``audit_chain.key()``), so an edited manifest is found even when the
  editor recomputed the hashes.

The row counts and the chain head are read in the very snapshot that is dumped: on PostgreSQL a
REPEATABLE READ transaction exports its snapshot and ``pg_dump --snapshot`` dumps that one; on
SQLite they are read from the copy. The directory is written under a temporary name and renamed
when complete, so a crash never leaves something that looks like a backup.

``restore`` verifies before it changes anything (manifest signature, every file's hash, no file
added), restores into an empty database (``pg_restore --single-transaction``; SQLite: a copy beside
the target file), then compares every table's row count with the manifest and verifies the audit
chain against the manifest's head, in a separate process pointed at the restored database. Any
mismatch discards what was restored and leaves the target as it was. The chain verifies only
under the same ``ANJIAN_AUDIT_KEY`` (or, without one, the same ``ANJIAN_SECRET_KEY``) as the system
that made the backup (docs/operator-guide.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
from django.conf import settings
from django.db import connection
from django.utils import timezone

from anjian.core import audit, audit_chain
from anjian.core.models import AuditEvent

FORMAT = "anjian-backup/1"
MANIFEST = "manifest.json"
PG_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA = "media"
SKIP_MEDIA = {"uploads-tmp"}  # half-uploaded video pieces (inspections/uploads.py): not records
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refused backup or restore; the message is Chinese and says what was (not) changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- small helpers ---------------------------------------------------------------------------------
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def _copy_hashed(src: Path, dest: Path) -> dict[str, Any]:
    dest.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    with open(src, "rb") as fin, open(dest, "wb") as fout:
        while block := fin.read(CHUNK):
            h.update(block)
            fout.write(block)
            size += len(block)
        fout.flush()
        os.fsync(fout.fileno())
    shutil.copystat(src, dest)
    return {"sha256": h.hexdigest(), "size": size}


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in SKIP_MEDIA]
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def _signable(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "hmac"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def key_id() -> str:
    """Names the audit key without revealing it: restore tells a different key from an edit."""
    return hmac.new(audit_chain.key(), b"anjian-backup-key-id", hashlib.sha256).hexdigest()[:16]


def sign(manifest: dict[str, Any]) -> str:
    return hmac.new(audit_chain.key(), _signable(manifest), hashlib.sha256).hexdigest()


def _software() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for dist in ("anjian", "django"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:  # pragma: no cover - a checkout without the package installed
            out[dist] = "unknown"
    return out


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- database descriptions -------------------------------------------------------------------------
def _vendor(sd: dict[str, Any]) -> str:
    engine = str(sd.get("ENGINE", ""))
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"不支持的数据库类型：{engine}。备份与恢复支持PostgreSQL和SQLite。")


def target_settings(url: str | None) -> dict[str, Any]:
    """The settings of the database a restore writes to: ``url``, else the configured one."""
    if url:
        try:
            return dict(dj_database_url.parse(url))
        except Exception as exc:
            raise BackupError(f"目标数据库地址无法识别：{exc}。应为形如 postgres://user@host:5432/dbname 或 sqlite:////absolute/path 的地址。") from None
    return dict(connection.settings_dict)


def database_url(sd: dict[str, Any]) -> str:
    if _vendor(sd) == "sqlite":
        return f"sqlite:///{Path(sd['NAME']).resolve()}"
    user = quote(str(sd.get("USER") or ""), safe="")
    password = quote(str(sd.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = sd.get("HOST") or "127.0.0.1"
    port = f":{sd['PORT']}" if sd.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(str(sd['NAME']), safe='')}"


def _pg_conninfo(sd: dict[str, Any]) -> dict[str, Any]:
    info = {"dbname": sd["NAME"], "user": sd.get("USER") or None, "password": sd.get("PASSWORD") or None, "host": sd.get("HOST") or None, "port": sd.get("PORT") or None}
    return {k: v for k, v in info.items() if v not in (None, "")}


def _pg_cli(sd: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args: list[str] = []
    env = dict(os.environ)
    if sd.get("HOST"):
        args += ["-h", str(sd["HOST"])]
    if sd.get("PORT"):
        args += ["-p", str(sd["PORT"])]
    if sd.get("USER"):
        args += ["-U", str(sd["USER"])]
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = str(sd["PASSWORD"])
    return args, env


def _pg_tables(cur: Any) -> list[str]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [r[0] for r in cur.fetchall()]


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    return [r[0] for r in rows]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _facts(cur: Any, tables: list[str]) -> dict[str, Any]:
    """Row counts, chain head and migrations, read through a DB-API cursor (one snapshot)."""
    counts = {}
    for t in tables:
        cur.execute(f"SELECT COUNT(*) FROM {_quote(t)}")  # noqa: S608 — names from the catalogue
        counts[t] = int(cur.fetchone()[0])
    table = AuditEvent._meta.db_table
    head: dict[str, Any] = {"seq": None, "mac": None}
    events = None
    if table in counts:
        cur.execute(f"SELECT chain_seq, chain_mac FROM {_quote(table)} WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1")  # noqa: S608
        row = cur.fetchone()
        if row is not None:
            head = {"seq": int(row[0]), "mac": row[1]}
        events = counts[table]
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        cur.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[r[0], r[1]] for r in cur.fetchall()]
    return {"tables": counts, "audit_head": head, "audit_events": events, "migrations": migrations}


# --- backup ----------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    seconds: float


def _dump_postgres(sd: dict[str, Any], dest: Path) -> dict[str, Any]:
    import psycopg

    args, env = _pg_cli(sd)
    with psycopg.connect(**_pg_conninfo(sd)) as conn, conn.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server = cur.fetchone()  # type: ignore[misc]
        facts = _facts(cur, _pg_tables(cur))
        # The dump sees exactly the snapshot the counts were read in (held open meanwhile).
        done = subprocess.run(
            ["pg_dump", "-Fc", "--no-password", f"--snapshot={snapshot}", "-f", str(dest), *args, "-d", str(sd["NAME"])], env=env, capture_output=True, text=True, check=False
        )
        conn.rollback()
    if done.returncode != 0:
        raise BackupError(f"pg_dump失败（退出码{done.returncode}）：{done.stderr.strip()[:500]}")
    facts["server_version"] = server
    return facts


def _dump_sqlite(dest: Path) -> dict[str, Any]:
    connection.ensure_connection()
    raw = connection.connection
    target = sqlite3.connect(dest)
    try:
        raw.backup(target)  # the online backup API: a consistent copy, writers keep working
        target.commit()
        facts = _facts(target.cursor(), _sqlite_tables(target))
        facts["server_version"] = sqlite3.sqlite_version
    finally:
        target.close()
    return facts


def create(*, out: Path | None = None, actor: Any = None, log: Callable[[str], None] = lambda s: None) -> BackupResult:
    """Write a backup directory under ``out`` (default ``VAR_DIR/backups``) and audit it."""
    import time

    t0 = time.perf_counter()
    out = Path(out or Path(settings.VAR_DIR) / "backups").resolve()
    out.mkdir(parents=True, exist_ok=True)
    sd = dict(connection.settings_dict)
    vendor = _vendor(sd)
    now = timezone.now()
    name = f"anjian-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}"
    final = out / name
    n = 1
    while final.exists():
        n += 1
        final = out / f"{name}-{n}"
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=out))
    try:
        files: dict[str, dict[str, Any]] = {}
        db_file = PG_FILE if vendor == "postgresql" else SQLITE_FILE
        log("正在备份数据库……")
        facts = _dump_postgres(sd, tmp / db_file) if vendor == "postgresql" else _dump_sqlite(tmp / db_file)
        with open(tmp / db_file, "rb+") as fh:
            os.fsync(fh.fileno())  # on disk before the rename makes the backup count
        files[db_file] = {"sha256": _sha256(tmp / db_file), "size": (tmp / db_file).stat().st_size}
        log("正在复制上传和出具的文件……")
        media_root = Path(settings.MEDIA_ROOT)
        for rel, path in _media_files(media_root):
            files[f"{MEDIA}/{rel}"] = _copy_hashed(path, tmp / MEDIA / rel)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "software": _software(),
            "database": {"vendor": vendor, "file": db_file, "name": str(sd.get("NAME")), "server_version": facts.pop("server_version")},
            "migrations": facts.pop("migrations"),
            "tables": facts.pop("tables"),
            "audit": {
                "head_seq": facts["audit_head"]["seq"],
                "head_mac": facts["audit_head"]["mac"],
                "events": facts["audit_events"],
                "anchor_at_backup": audit_chain.read_anchor(),
            },
            "media_root": str(media_root),
            "files": files,
            "key_id": key_id(),
        }
        manifest["hmac"] = sign(manifest)
        with open(tmp / MANIFEST, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(tmp)
        os.rename(tmp, final)  # atomic: a backup directory is complete or absent
        _fsync_dir(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    size = sum(f["size"] for f in files.values())
    audit.record_about(
        actor=actor, action="backup.create", object_type="core.backup", object_id=final.name, object_repr=f"备份{final.name}",
        jurisdiction_id=None,
        after={"path": str(final), "manifest_sha256": _sha256(final / MANIFEST), "files": len(files), "bytes": size, "tables": len(manifest["tables"]), "audit_head_seq": manifest["audit"]["head_seq"]},
        note=f"备份数据库（{vendor}）及文件{len(files) - 1}个，共{size:,}字节。",
    )  # fmt: skip
    return BackupResult(path=final, manifest=manifest, seconds=time.perf_counter() - t0)


# --- restore ---------------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    target: str
    tables: int
    rows: int
    files: int
    audit_checked: int
    seconds: float
    media_moved_to: Path | None = None


UNCHANGED = "目标数据库和文件未做任何更改。"


def load_manifest(src: Path) -> dict[str, Any]:
    """The manifest, checked: present, readable, signed under this system's audit key."""
    path = src / MANIFEST
    if not src.is_dir():
        raise BackupError(f"备份目录{src}不存在。{UNCHANGED}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"备份目录中没有清单文件{MANIFEST}：不是完整的备份（或清单被删除）。{UNCHANGED}") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"清单文件{MANIFEST}无法读取（{exc}）：备份已损坏或被修改。{UNCHANGED}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"清单文件{MANIFEST}的格式不是{FORMAT}：不是本系统的备份，或已被修改。{UNCHANGED}")
    if manifest.get("key_id") != key_id():
        raise BackupError(
            f"该备份是在另一审计密钥下制作的：清单签名和审计链只能用制作备份时的ANJIAN_AUDIT_KEY（未设置时为ANJIAN_SECRET_KEY）校验。请在环境中设置原密钥后再恢复。{UNCHANGED}"
        )
    if not hmac.compare_digest(str(manifest.get("hmac") or ""), sign(manifest)):
        raise BackupError(f"清单文件{MANIFEST}的签名不符：清单在备份后被修改。{UNCHANGED}")
    return manifest


def check_files(src: Path, manifest: dict[str, Any]) -> None:
    """Every listed file present with its size and SHA-256; nothing added beside them."""
    listed: dict[str, dict[str, Any]] = manifest.get("files") or {}
    db_file = manifest["database"]["file"]
    if db_file not in listed:
        raise BackupError(f"清单未列出数据库文件{db_file}：备份不完整。{UNCHANGED}")
    for rel, meta in sorted(listed.items()):
        path = src / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise BackupError(f"清单中的文件名{rel}不合法。{UNCHANGED}")
        if not path.is_file():
            raise BackupError(f"备份中缺少文件{rel}。{UNCHANGED}")
        if path.stat().st_size != meta.get("size") or _sha256(path) != meta.get("sha256"):
            raise BackupError(f"备份文件{rel}的SHA-256校验值与清单不符：该文件在备份后被修改或已损坏。{UNCHANGED}")
    for dirpath, _dirs, names in os.walk(src):
        for name in names:
            rel = (Path(dirpath) / name).relative_to(src).as_posix()
            if rel != MANIFEST and rel not in listed:
                raise BackupError(f"备份目录中有清单未列出的文件{rel}：备份在制作后被改动。{UNCHANGED}")


def check_migrations(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest.get("migrations") or [] if (a, n) not in known]
    if unknown:
        raise BackupError(f"该备份来自较新版本的软件（本版本没有迁移{'、'.join(unknown[:5])}）：请先升级软件再恢复。{UNCHANGED}")


def _audit_verify(url: str, head: dict[str, Any], work: Path) -> tuple[bool, int, str]:
    """``anjian audit verify`` in a separate process against the restored database, with the
    manifest's chain head as the anchor and this system's keys."""
    var = work / "verify-var"
    var.mkdir(parents=True, exist_ok=True)
    if head.get("head_seq") is not None:
        (var / "audit-anchor.json").write_text(json.dumps({"seq": head["head_seq"], "mac": head["head_mac"], "at": "backup"}), encoding="utf-8")
    env = dict(os.environ)
    env.update({
        "ANJIAN_DATABASE_URL": url,
        "ANJIAN_VAR_DIR": str(var),
        "ANJIAN_MEDIA_ROOT": str(var / "media"),
        "ANJIAN_STATIC_ROOT": str(var / "static"),
        "ANJIAN_SECRET_KEY": settings.SECRET_KEY,
        "ANJIAN_AUDIT_KEY": getattr(settings, "AUDIT_KEY", "") or "",
        "DJANGO_SETTINGS_MODULE": "anjian.settings",
        "PYTHONPATH": os.pathsep.join(p for p in (str(settings.PROJECT_DIR), env.get("PYTHONPATH", "")) if p),
    })  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "anjian.cli", "audit", "verify"], env=env, capture_output=True, text=True, check=False, timeout=3600)
    checked = 0
    for line in done.stdout.splitlines():
        if "共" in line and "条" in line:
            try:
                checked = int(line.split("共", 1)[1].split("条", 1)[0].replace(",", ""))
            except ValueError:
                pass
    return done.returncode == 0, checked, (done.stderr.strip() or done.stdout.strip())[-1500:]


def _compare_counts(manifest: dict[str, Any], counts: dict[str, int]) -> None:
    want: dict[str, int] = manifest["tables"]
    if set(want) != set(counts):
        missing = sorted(set(want) - set(counts))
        extra = sorted(set(counts) - set(want))
        raise BackupError(f"恢复后的数据表与清单不符（缺少：{'、'.join(missing[:5]) or '无'}；多出：{'、'.join(extra[:5]) or '无'}）。")
    wrong = [f"{t}（清单{want[t]}行，恢复后{counts[t]}行）" for t in sorted(want) if want[t] != counts[t]]
    if wrong:
        raise BackupError(f"恢复后的行数与清单不符：{'；'.join(wrong[:5])}。")


def _pg_counts(sd: dict[str, Any]) -> tuple[int, dict[str, int]]:
    import psycopg

    with psycopg.connect(**_pg_conninfo(sd)) as conn, conn.cursor() as cur:
        tables = _pg_tables(cur)
        facts = _facts(cur, tables)
    return len(tables), facts["tables"]


def _pg_admin(sd: dict[str, Any], *statements: str) -> None:
    import psycopg

    with psycopg.connect(**_pg_conninfo(sd), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]


def _pg_extensions_in(sd: dict[str, Any], schema: str) -> list[str]:
    import psycopg

    with psycopg.connect(**_pg_conninfo(sd), autocommit=True) as conn:
        rows = conn.execute("SELECT e.extname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname = %s AND e.extrelocatable", [schema]).fetchall()
    return [r[0] for r in rows]


def _pg_restore(src: Path, manifest: dict[str, Any], sd: dict[str, Any], *, force: bool, work: Path, log: Callable[[str], None]) -> tuple[int, int]:
    try:
        n_tables, _ = _pg_counts(sd)
    except Exception as exc:
        raise BackupError(f"无法连接目标数据库{sd.get('NAME')}：{str(exc).strip()[:300]}。请先创建空数据库（createdb）。{UNCHANGED}") from None
    if n_tables and not force:
        raise BackupError(f"目标数据库{sd.get('NAME')}不是空的（已有{n_tables}张表）。恢复须在空数据库上进行；确需覆盖现有数据时加 --force（先备份现有数据）。{UNCHANGED}")
    kept = None
    if n_tables:
        # --force: the current data is set aside (the schema renamed), not dropped, until the
        # restore has passed every check; a failed restore puts it back.
        kept = f"before_restore_{timezone.localtime():%Y%m%d%H%M%S}"
        log(f"按 --force 将目标数据库{sd.get('NAME')}的现有数据移至模式{kept}……")
        _pg_admin(sd, f'ALTER SCHEMA public RENAME TO "{kept}"', "CREATE SCHEMA public")
        # Extensions (pg_trgm, for the documents register's indexes) moved with the schema: bring them
        # to the new public schema, where the dump's indexes look for their operator classes (the
        # kept tables' indexes follow them by OID). A failed restore moves them back.
        _pg_admin(sd, *(f'ALTER EXTENSION "{x}" SET SCHEMA public' for x in _pg_extensions_in(sd, kept)))
    args, env = _pg_cli(sd)
    log("正在恢复数据库（pg_restore）……")
    done = subprocess.run(
        ["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", "--no-password", *args, "-d", str(sd["NAME"]), str(src / PG_FILE)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        if done.returncode != 0:
            raise BackupError(f"pg_restore失败（退出码{done.returncode}）：{done.stderr.strip()[:500]}")
        result = _verify_restored(manifest, database_url(sd), lambda: _pg_counts(sd)[1], work, log)
    except BaseException:
        # Discard the restore: the target is as it was (empty, or its data back from the side).
        if kept:
            _pg_admin(sd, *(f'ALTER EXTENSION "{x}" SET SCHEMA "{kept}"' for x in _pg_extensions_in(sd, "public")))
        _pg_admin(sd, "DROP SCHEMA IF EXISTS public CASCADE", *([f'ALTER SCHEMA "{kept}" RENAME TO public'] if kept else ["CREATE SCHEMA public"]))
        raise
    if kept:
        _pg_admin(sd, f'DROP SCHEMA "{kept}" CASCADE')
    return result


def _sqlite_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(_facts(conn.cursor(), _sqlite_tables(conn))["tables"])
    finally:
        conn.close()


def _sqlite_restore(src: Path, manifest: dict[str, Any], sd: dict[str, Any], *, force: bool, work: Path, log: Callable[[str], None]) -> tuple[int, int]:
    target = Path(sd["NAME"])
    if str(target) in ("", ":memory:") or "mode=memory" in str(target):
        raise BackupError(f"目标是内存数据库，不能恢复到其中。{UNCHANGED}")
    if target.exists() and target.stat().st_size:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            n_tables = len(_sqlite_tables(conn))
        finally:
            conn.close()
        if n_tables and not force:
            raise BackupError(
                f"目标数据库{target}不是空的（已有{n_tables}张表）。恢复须在空数据库上进行；确需覆盖现有数据时加 --force（先备份现有数据，并停止服务和后台任务进程）。{UNCHANGED}"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(src / SQLITE_FILE, staging)
    try:
        if _sha256(staging) != manifest["files"][SQLITE_FILE]["sha256"]:
            raise BackupError("复制后的数据库文件校验值不符（磁盘故障？）。")
        result = _verify_restored(manifest, f"sqlite:///{staging.resolve()}", lambda: _sqlite_counts(staging), work, log)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    if sd is connection.settings_dict or Path(connection.settings_dict.get("NAME") or "") == target:
        connection.close()
    # A WAL left by the replaced database would be replayed into the restored one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        Path(f"{staging}{suffix}").unlink(missing_ok=True)
    os.replace(staging, target)
    _fsync_dir(target.parent)
    return result


def _verify_restored(manifest: dict[str, Any], url: str, counts: Callable[[], dict[str, int]], work: Path, log: Callable[[str], None]) -> tuple[int, int]:
    log("正在核对各表行数……")
    found = counts()
    _compare_counts(manifest, found)
    log("正在校验审计链……")
    ok, checked, text = _audit_verify(url, manifest["audit"], work)
    if not ok:
        raise BackupError(f"恢复后的审计链校验未通过：{text}")
    return sum(found.values()), checked


def _media_nonempty(root: Path) -> bool:
    return any(True for _ in _media_files(root))


def _restore_media(src: Path, manifest: dict[str, Any], root: Path) -> tuple[int, Path | None]:
    """Put the backup's files in place of ``root``; the previous folder is kept beside it."""
    files = [rel for rel in manifest["files"] if rel.startswith(f"{MEDIA}/")]
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.restoring.", dir=root.parent))
    try:
        for rel in files:
            meta = _copy_hashed(src / rel, staging / rel[len(MEDIA) + 1 :])
            if meta["sha256"] != manifest["files"][rel]["sha256"]:
                raise BackupError(f"复制文件{rel}时校验值不符（磁盘故障？）。")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    moved = None
    if root.exists():
        moved = root.with_name(f"{root.name}.before-restore-{timezone.localtime():%Y%m%d-%H%M%S}")
        os.rename(root, moved)
    os.rename(staging, root)
    return len(files), moved


@contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="anjian-restore-") as d:
        yield Path(d)


def restore(
    src: Path, *, target_url: str | None = None, force: bool = False, media_root: Path | None = None, actor: Any = None, log: Callable[[str], None] = lambda s: None
) -> RestoreResult:
    """Verify the backup at ``src`` and restore it; refuses (``BackupError``) with nothing changed."""
    import time

    t0 = time.perf_counter()
    src = Path(src).resolve()
    log("正在校验备份（清单签名、文件校验值）……")
    manifest = load_manifest(src)
    check_files(src, manifest)
    check_migrations(manifest)
    sd = target_settings(target_url)
    vendor = _vendor(sd)
    if vendor != manifest["database"]["vendor"]:
        raise BackupError(f"备份来自{manifest['database']['vendor']}数据库，目标是{vendor}数据库：不能跨数据库类型恢复。{UNCHANGED}")
    media = Path(media_root or settings.MEDIA_ROOT)
    if _media_nonempty(media) and not force:
        raise BackupError(f"文件目录{media}中已有文件。恢复须在空目录上进行；确需覆盖时加 --force（原目录将改名保留）。{UNCHANGED}")
    with _workdir() as work:
        if vendor == "postgresql":
            rows, checked = _pg_restore(src, manifest, sd, force=force, work=work, log=log)
        else:
            rows, checked = _sqlite_restore(src, manifest, sd, force=force, work=work, log=log)
    log("正在恢复文件……")
    n_files, moved = _restore_media(src, manifest, media)
    result = RestoreResult(target=str(sd.get("NAME")), tables=len(manifest["tables"]), rows=rows, files=n_files, audit_checked=checked, seconds=0.0, media_moved_to=moved)
    if not target_url:
        # The restored system's own anchor is the backup's chain head; then the restore is audited in it.
        connection.close()
        head = manifest["audit"]
        if head.get("head_seq") is not None:
            audit_chain._write_anchor(int(head["head_seq"]), str(head["head_mac"]))
        else:
            audit_chain.anchor_path().unlink(missing_ok=True)
        audit.record_about(
            actor=actor, action="backup.restore", object_type="core.backup", object_id=src.name, object_repr=f"从备份{src.name}恢复",
            jurisdiction_id=None, after={"path": str(src), "created_at": manifest["created_at"], "tables": result.tables, "rows": rows, "files": n_files, "audit_head_seq": head.get("head_seq")},
            note=f"从{manifest['created_at']}的备份恢复，行数与清单一致，审计链校验通过。",
        )  # fmt: skip
    result.seconds = time.perf_counter() - t0
    return result
