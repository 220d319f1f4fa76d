#!/usr/bin/env bash
# Installs everything anjian needs on a fresh Debian machine that has python3 and npm.
# Idempotent and quick when nothing changed. Used by scripts/start.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--with-browser" ] && want_browser=1

if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境 .venv"
  python3 -m venv .venv
fi
stamp=.venv/.anjian-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> 安装 Python 依赖"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'
  touch "$stamp"
fi

echo "==> 安装前端资源(npm,不使用CDN)"
bash scripts/assets.sh

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  # The browser tests drive Debian's chromium (Playwright's own download cannot work here).
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> 安装 chromium 与中文字体(apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "!! 未找到 /usr/bin/chromium:请以 root 运行 'apt-get install chromium fonts-noto-cjk'" >&2
    exit 1
  fi
fi

# PDF of every issued document (documents/pdf.py): LibreOffice headless and the Noto CJK fonts from
# Debian, installed when this runs as root; without them PDF is unavailable and everything else works.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> 安装 LibreOffice(生成PDF)与中文字体(apt)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui poppler-utils fonts-noto-cjk >/dev/null; } \
      || echo "!! 未能安装 LibreOffice:文书PDF不可用(.docx 不受影响)" >&2
  else
    echo "!! 未安装 LibreOffice:文书PDF不可用。请以 root 运行 'apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk'" >&2
  fi
fi
