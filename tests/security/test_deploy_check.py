"""`manage.py check --deploy` is clean with the production settings of docs/operator-guide.md."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The variables the operator guide lists under 生产部署安全设置, and nothing of the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANJIAN_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "anjian.settings",
            "PYTHONPATH": str(ROOT),
            "ANJIAN_VAR_DIR": str(tmp_path),
            "ANJIAN_SECRET_KEY": secrets.token_urlsafe(50),
            "ANJIAN_ALLOWED_HOSTS": "aj.example.gov.cn",
            "ANJIAN_CSRF_TRUSTED_ORIGINS": "https://aj.example.gov.cn",
            "ANJIAN_TRUST_PROXY": "1",
            "ANJIAN_HTTPS": "1",
            "ANJIAN_PRODUCTION": "1",
        }
    )
    env.update(extra)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path: Path) -> None:
    done = check_deploy(production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_without_https_the_deploy_check_names_what_is_missing(tmp_path: Path) -> None:
    """The test above would pass vacuously if the settings never changed: plain HTTP must warn."""
    env = production_env(tmp_path)
    del env["ANJIAN_HTTPS"]
    done = check_deploy(env)
    assert done.returncode != 0
    found = set(re.findall(r"security\.W\d+", done.stdout + done.stderr))
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= found  # HSTS, SSL redirect, cookies


def test_the_operator_guide_lists_those_settings() -> None:
    guide = (ROOT / "docs" / "operator-guide.md").read_text()
    section = guide[guide.index("## 生产部署安全设置") :]
    for name in ["ANJIAN_HTTPS=1", "ANJIAN_SECRET_KEY", "ANJIAN_ALLOWED_HOSTS", "ANJIAN_CSRF_TRUSTED_ORIGINS", "ANJIAN_TRUST_PROXY=1", "client_max_body_size", "check --deploy"]:
        assert name in section, name
