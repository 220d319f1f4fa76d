"""Backup and restore (issue 10, item 7): a round trip on the database the suite runs on (SQLite, or
PostgreSQL with ANJIAN_DATABASE_URL), and a tampered backup — a changed dump byte, a changed file,
an edited manifest, an added file, another key, a doctored audit row — that changes nothing."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from anjian.core import backup
from anjian.core.models import AuditEvent
from tests.conftest import make_uscc

# Transactional: pg_dump (another process) sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dirs(settings: Any, tmp_path: Path) -> dict[str, Path]:
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_KEY = "backup-test-key"
    (tmp_path / "var").mkdir()
    doc = tmp_path / "media" / "documents" / "2026"
    doc.mkdir(parents=True)
    (doc / "决定书.pdf").write_bytes(b"%PDF-1.4 issued document\n" * 50)
    (tmp_path / "media" / "uploads-tmp").mkdir()
    (tmp_path / "media" / "uploads-tmp" / "piece").write_bytes(b"half an upload")
    return {"out": tmp_path / "backups", "media": tmp_path / "media", "restored_media": tmp_path / "restored-media", "tmp": tmp_path}


class Target:
    """An empty database to restore into: a SQLite file, or a scratch PostgreSQL database."""

    def __init__(self, tmp: Path) -> None:
        self.vendor = connection.vendor
        sd = connection.settings_dict
        if self.vendor == "sqlite":
            self.path = tmp / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
            return
        import psycopg

        self.name = f"{sd['NAME']}_r{uuid.uuid4().hex[:8]}"
        self.conninfo = backup._pg_conninfo({**sd, "NAME": "postgres"})
        with psycopg.connect(**self.conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = backup.database_url({**sd, "NAME": self.name})

    def tables(self) -> int:
        if self.vendor == "sqlite":
            if not self.path.exists():
                return 0
            import sqlite3

            conn = sqlite3.connect(self.path)
            try:
                return len(backup._sqlite_tables(conn))
            finally:
                conn.close()
        n, _ = backup._pg_counts(backup.target_settings(self.url))
        return n

    def drop(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(**self.conninfo, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def target(dirs: dict[str, Path]) -> Iterator[Target]:
    t = Target(dirs["tmp"])
    yield t
    t.drop()


def _data(world: Any) -> None:
    from anjian.enterprises import services

    for i in range(3):
        services.enterprise_create(
            actor=world.user("officer_a"), jurisdiction=world.district_a, name=f"备份测试企业{i}有限公司", uscc=make_uscc(100 + i), sectors=["hazchem.production"]
        )


def _backup(dirs: dict[str, Path]) -> Path:
    call_command("backup", "--out", str(dirs["out"]), stdout=open("/dev/null", "w"))
    (path,) = [p for p in dirs["out"].iterdir() if not p.name.startswith(".")]
    return path


def _restore(src: Path, target: Target, dirs: dict[str, Path], *extra: str) -> None:
    call_command("restore", str(src), "--target-db", target.url, "--media-root", str(dirs["restored_media"]), *extra, stdout=open("/dev/null", "w"))


def test_round_trip(world: Any, dirs: dict[str, Path], target: Target) -> None:
    _data(world)
    src = _backup(dirs)
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    # What the manifest holds: the files with their hashes (not the half uploads), the row counts,
    # the chain head, the migrations.
    assert set(manifest["files"]) == {manifest["database"]["file"], "media/documents/2026/决定书.pdf"}
    assert manifest["tables"]["enterprises_enterprise"] == 3
    assert manifest["tables"][AuditEvent._meta.db_table] == AuditEvent.objects.count() - 1  # all but backup.create itself
    assert manifest["audit"]["head_seq"] >= 3
    assert ["core", "0001_initial"] in manifest["migrations"]
    assert manifest["database"]["vendor"] == connection.vendor
    event = AuditEvent.objects.get(action="backup.create")
    assert event.object_id == src.name and event.after["files"] == 2
    assert not [p for p in dirs["out"].iterdir() if p.name.startswith(".")]  # no temporary left

    _restore(src, target, dirs)
    assert target.tables() == len(manifest["tables"])
    sd = backup.target_settings(target.url)
    counts = backup._pg_counts(sd)[1] if target.vendor == "postgresql" else backup._sqlite_counts(target.path)
    assert counts == manifest["tables"]
    assert (dirs["restored_media"] / "documents" / "2026" / "决定书.pdf").read_bytes() == (dirs["media"] / "documents" / "2026" / "决定书.pdf").read_bytes()
    assert not (dirs["restored_media"] / "uploads-tmp").exists()

    # Over files or a database that are no longer empty: refused unless --force.
    with pytest.raises(CommandError, match="中已有文件"):
        _restore(src, target, dirs)
    shutil.rmtree(dirs["restored_media"])
    with pytest.raises(CommandError, match="不是空的"):
        _restore(src, target, dirs)
    assert not dirs["restored_media"].exists()
    _restore(src, target, dirs, "--force")
    assert target.tables() == len(manifest["tables"])


def _flip_byte(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _edit_manifest(src: Path, change: Any) -> None:
    path = src / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    change(m)
    path.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")


def _edit_count(m: dict[str, Any]) -> None:
    m["tables"]["enterprises_enterprise"] += 1


def _rehash_doc(src: Path) -> None:
    # Change a document and write its new hash into the manifest, as a forger would.
    doc = src / "media" / "documents" / "2026" / "决定书.pdf"
    doc.write_bytes(b"%PDF-1.4 forged\n")

    def change(m: dict[str, Any]) -> None:
        m["files"]["media/documents/2026/决定书.pdf"] = {"sha256": backup._sha256(doc), "size": doc.stat().st_size}

    _edit_manifest(src, change)


TAMPERING = {
    "dump byte": (lambda src: _flip_byte(src / json.loads((src / "manifest.json").read_text())["database"]["file"], 2000), "SHA-256校验值与清单不符"),
    "document": (lambda src: _flip_byte(src / "media" / "documents" / "2026" / "决定书.pdf", 10), "决定书.pdf的SHA-256校验值与清单不符"),
    "manifest count": (lambda src: _edit_manifest(src, _edit_count), "签名不符"),
    "manifest rehashed": (_rehash_doc, "签名不符"),
    "manifest removed": (lambda src: (src / "manifest.json").unlink(), "没有清单文件"),
    "file added": (lambda src: (src / "media" / "extra.pdf").write_bytes(b"x"), "清单未列出的文件media/extra.pdf"),
    "file removed": (lambda src: (src / "media" / "documents" / "2026" / "决定书.pdf").unlink(), "缺少文件"),
}


def test_tampered_backup_changes_nothing(world: Any, dirs: dict[str, Path], target: Target, settings: Any) -> None:
    _data(world)
    src = _backup(dirs)
    for name, (tamper, message) in TAMPERING.items():
        copy = dirs["tmp"] / f"tampered-{len(name)}-{uuid.uuid4().hex[:6]}"
        shutil.copytree(src, copy)
        tamper(copy)
        with pytest.raises(CommandError, match=message) as exc:
            _restore(copy, target, dirs)
        assert "未做任何更改" in str(exc.value), name
        assert target.tables() == 0, name
        assert not dirs["restored_media"].exists(), name
    # Another audit key: named as such, not as tampering.
    settings.AUDIT_KEY = "another-key"
    with pytest.raises(CommandError, match="另一审计密钥"):
        _restore(src, target, dirs)
    assert target.tables() == 0


def test_doctored_audit_row_is_found_after_restore_and_discarded(world: Any, dirs: dict[str, Path], target: Target) -> None:
    """A backup whose hashes are right but whose audit was altered before it was taken: the chain
    verification of the restored copy fails and the restore is discarded — into an empty target,
    and with --force over a restored one, whose data is back as it was."""
    _data(world)
    good = _backup(dirs).rename(dirs["tmp"] / "good-backup")
    table = AuditEvent._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")  # past the audit trigger, as an intruder with the owner role
        cur.execute(f"UPDATE {table} SET note = 'altered' WHERE id = (SELECT MIN(id) FROM {table} WHERE action = 'enterprise.create')")
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = origin")
    shutil.rmtree(dirs["out"])
    src = _backup(dirs)
    with pytest.raises(CommandError, match="审计链校验未通过") as exc:
        _restore(src, target, dirs)
    assert "写入后被修改" in str(exc.value)
    assert target.tables() == 0
    assert not dirs["restored_media"].exists()

    _restore(good, target, dirs)
    manifest = json.loads((good / "manifest.json").read_text(encoding="utf-8"))
    shutil.rmtree(dirs["restored_media"])
    with pytest.raises(CommandError, match="审计链校验未通过"):
        _restore(src, target, dirs, "--force")
    sd = backup.target_settings(target.url)
    assert (backup._pg_counts(sd)[1] if target.vendor == "postgresql" else backup._sqlite_counts(target.path)) == manifest["tables"]


def test_restore_refuses_a_missing_directory_and_another_engine(dirs: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "nothing"))
