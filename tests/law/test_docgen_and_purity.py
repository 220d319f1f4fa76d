"""docs/legal-rules.md is generated from the data; anjian.law stays pure Python."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from anjian.law import docgen

ROOT = Path(__file__).resolve().parents[2]
LAW = ROOT / "anjian" / "law"


def test_the_committed_rule_table_is_the_generated_one() -> None:
    committed = (ROOT / "docs" / "legal-rules.md").read_text(encoding="utf-8")
    assert committed == docgen.render(), "运行 python -m anjian.law.docgen > docs/legal-rules.md"


def test_main_writes_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    docgen.main()
    assert capsys.readouterr().out == docgen.render()


def test_the_module_runs_as_a_script() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "anjian.law.docgen"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout
    assert out.startswith("# 法律规则表")


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, node.lineno))
    return found


@pytest.mark.parametrize("path", sorted(LAW.rglob("*.py")), ids=lambda p: p.name)
def test_the_law_package_imports_no_django_and_nothing_else_of_ours(path: Path) -> None:
    for module, line in _imports(path):
        root = module.split(".")[0]
        assert root != "django", f"{path.name}:{line}"
        if root == "anjian":
            assert module.startswith("anjian.law"), f"{path.name}:{line} imports {module}"
        if root == "chinese_calendar":
            assert path.name == "calendar.py", f"{path.name}:{line}"
