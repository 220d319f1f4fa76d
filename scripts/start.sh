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
echo "==> 演示数据(仅在数据库为空时生成:台账、芝罘区案件、本年业务数据)"
.venv/bin/anjian demo --if-empty
.venv/bin/anjian ledger refresh
.venv/bin/anjian stats refresh
.venv/bin/anjian collectstatic --noinput -v0
echo "==> 后台任务进程(确认导入、大批量导出),日志 ${ANJIAN_VAR_DIR:-var}/worker.log"
mkdir -p "${ANJIAN_VAR_DIR:-var}"
# Supervised: a worker that exits is started again (scripts/supervise.sh); /healthz reports
# its heartbeat meanwhile.
bash scripts/supervise.sh "${ANJIAN_VAR_DIR:-var}/worker.log" .venv/bin/anjian worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
echo "==> 启动:http://127.0.0.1:8000  (Ctrl-C 停止)"
# The request line and headers are capped by gunicorn (below); the body by Django
# (RequestSizeLimitMiddleware, 413 before reading) and by nginx's client_max_body_size in production.
.venv/bin/gunicorn anjian.wsgi:application --bind "${ANJIAN_BIND:-127.0.0.1:8000}" \
  --worker-class gthread --workers "${ANJIAN_WORKERS:-2}" --threads "${ANJIAN_THREADS:-4}" --access-logfile - \
  --limit-request-line 4094 --limit-request-fields 60 --limit-request-field_size 8190
