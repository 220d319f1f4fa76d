#!/usr/bin/env bash
# Sets up anjian with the demo city and serves it at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=anjian.settings
echo "==> 数据库迁移"
.venv/bin/anjian migrate --noinput -v0
echo "==> 加载参考数据"
.venv/bin/anjian refdata load
.venv/bin/anjian calendar seed
.venv/bin/anjian checklists sync
echo "==> 演示数据(仅在数据库为空时生成)"
.venv/bin/anjian demo --if-empty
.venv/bin/anjian ledger refresh
.venv/bin/anjian collectstatic --noinput -v0
echo "==> 启动:http://127.0.0.1:8000  (Ctrl-C 停止)"
exec .venv/bin/gunicorn anjian.wsgi:application --bind "${ANJIAN_BIND:-127.0.0.1:8000}" \
  --worker-class gthread --workers "${ANJIAN_WORKERS:-2}" --threads "${ANJIAN_THREADS:-4}" --access-logfile -
