"""The cleanup of rendered files whose issue rolled back (issue 14 item 4): dry run by default."""

from __future__ import annotations

import io
import os
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

pytestmark = pytest.mark.django_db(transaction=True)


def _age(path: Any, hours: int = 2) -> None:
    old = time.time() - hours * 3600
    os.utime(path, (old, old))


def test_files_of_rolled_back_issues_are_listed_then_removed(world: Any, issue: Any, media: Any) -> None:
    kept = issue("inspection_record")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():  # the app's transaction fails after the issue
        lost = issue("inspection_record")
        raise Boom
    lost_path = media / lost.file.name
    kept_path = media / kept.file.name
    assert lost_path.exists() and kept_path.exists()
    scan_dir = media / "documents" / "service" / "2026"
    scan_dir.mkdir(parents=True)
    (scan_dir / "stray.jpg").write_bytes(b"x")
    bundles = media / "documents" / "bundles"
    bundles.mkdir(parents=True)
    (bundles / "b.pdf").write_bytes(b"%PDF")  # the bundles have their own rows: never touched here
    templates = media / "documents" / "templates" / "2026"
    templates.mkdir(parents=True)
    (templates / "t.docx").write_bytes(b"PK")  # nor the bureaus' templates
    for p in (lost_path, kept_path, scan_dir / "stray.jpg", bundles / "b.pdf", templates / "t.docx"):
        _age(p)
    fresh = media / "documents" / "2026" / "just-written.docx"
    fresh.write_bytes(b"in flight")  # a transaction still running: left alone
    _age(fresh, 0)

    out = io.StringIO()
    call_command("documents_cleanup", stdout=out)
    text = out.getvalue()
    assert lost.file.name in text and "documents/service/2026/stray.jpg" in text
    assert kept.file.name not in text and "just-written" not in text and "bundles" not in text
    assert "试运行" in text and lost_path.exists()  # dry run by default

    out = io.StringIO()
    call_command("documents_cleanup", "--delete", stdout=out)
    assert "共删除2个" in out.getvalue()
    assert not lost_path.exists() and kept_path.exists() and fresh.exists() and (bundles / "b.pdf").exists() and (templates / "t.docx").exists()
    call_command("documents_cleanup", "--delete", "--min-age-minutes", "0", stdout=io.StringIO())
    assert not fresh.exists() and kept_path.exists()
