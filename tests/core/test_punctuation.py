"""Issue 8 G: Chinese text uses full-width punctuation (GB/T 15834) in every page and message.

Scans every template and every Chinese string literal of the application (docstrings, regular
expressions and data the user never reads aside) for a half-width ``, ; : ( )`` next to a Chinese
character. The documents themselves are checked rendered, in tests/documents/test_chinese_text.py.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import anjian
from tests.documents.text_checks import HAN

ROOT = Path(anjian.__file__).parent
BAD = re.compile(rf"{HAN}[,;:()]|[,;:()]{HAN}")
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<[^>]*>")
# Excel's list validation takes comma-separated values: "是,否" is Excel syntax, not Chinese text.
EXCEL_LIST = re.compile(r'^"[^"]*"$')


def _string_literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree) if isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.body and isinstance(n.body[0], ast.Expr)}
    regex_args = {id(a) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("compile", "match", "search", "sub", "fullmatch", "split") for a in n.args}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings and id(node) not in regex_args:
            yield node.lineno, node.value


def test_templates_use_full_width_punctuation_next_to_chinese() -> None:
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = TAG.sub(" ", line)
            if BAD.search(text):
                problems.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert problems == []


def test_messages_and_labels_use_full_width_punctuation_next_to_chinese() -> None:
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.parent.name == "data":
            continue
        for n, value in _string_literals(path):
            if BAD.search(value) and not EXCEL_LIST.match(value):
                problems.append(f"{path.relative_to(ROOT)}:{n}: {value[:100]}")
    assert problems == []


def test_urls_in_templates_keep_their_ascii_punctuation() -> None:
    """A URL is not Chinese text: ``export.xlsx？sort=`` (a sweep's full-width ？) is a 404."""
    url_attr = re.compile(r'\b(?:href|src|action|formaction|hx-get|hx-post|hx-put|hx-delete)="([^"]*)"')
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for value in url_attr.findall(line):
                if re.search(r"[？：，；（）]", TAG.sub("", value)):
                    problems.append(f"{path.relative_to(ROOT)}:{n}: {value[:100]}")
    assert problems == []
