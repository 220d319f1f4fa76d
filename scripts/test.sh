#!/usr/bin/env bash
# The whole test suite: static checks, then pytest on SQLite and on PostgreSQL.
# PostgreSQL: ANJIAN_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/anjian). When it is
# unreachable the PostgreSQL run fails under CI=true and is skipped with a warning otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --with-browser || exit 1
export DJANGO_SETTINGS_MODULE=anjian.settings
export DJANGO_ALLOW_ASYNC_UNSAFE=true   # Playwright's sync API beside Django's live server
export ANJIAN_VAR_DIR="${ANJIAN_VAR_DIR:-$(mktemp -d)}"
PY=.venv/bin/python
status=0
step() { echo; echo "==> $*"; }
run() { "$@" || { echo "!! FAILED: $*"; status=1; }; }

step "ruff";                     run .venv/bin/ruff check anjian tests bench
step "mypy";                     run .venv/bin/mypy
step "import-linter (layers)";   run .venv/bin/lint-imports --no-cache
step "manage.py check";          run $PY manage.py check --fail-level WARNING
step "makemigrations --check";   run $PY manage.py makemigrations --check --dry-run
step "law engine: 100% line coverage"
run $PY -m pytest -q -p no:django tests/law --cov=anjian.law --cov-report=term-missing:skip-covered --cov-fail-under=100

# The two databases' runs go side by side (each is one process, mostly waiting on one core or on
# PostgreSQL), each with its own var/ directory so that files the tests write (media, the audit
# anchor) never meet; their logs are printed whole, one after the other.
pg_url="${ANJIAN_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/anjian}"
logs=$(mktemp -d)
step "pytest on SQLite and on PostgreSQL (side by side; logs below)"
ANJIAN_VAR_DIR="$ANJIAN_VAR_DIR/sqlite" $PY -m pytest -q --durations=25 "$@" > "$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
pg_pid=""
if $PY - "$pg_url" <<'PYEOF'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL unreachable: {exc}")
    sys.exit(1)
PYEOF
then
  ANJIAN_VAR_DIR="$ANJIAN_VAR_DIR/postgresql" ANJIAN_DATABASE_URL="$pg_url" $PY -m pytest -q --durations=25 "$@" > "$logs/postgresql.log" 2>&1 &
  pg_pid=$!
elif [ "${CI:-}" = "true" ]; then
  echo "!! PostgreSQL is required on CI"; status=1
else
  echo "!! PostgreSQL 不可用,跳过 PostgreSQL 测试(CI 上为必跑项)"
fi
step "pytest on SQLite"
wait $sqlite_pid || { echo "!! FAILED: pytest on SQLite"; status=1; }
cat "$logs/sqlite.log"
if [ -n "$pg_pid" ]; then
  step "pytest on PostgreSQL"
  wait $pg_pid || { echo "!! FAILED: pytest on PostgreSQL"; status=1; }
  cat "$logs/postgresql.log"
fi
echo
[ $status = 0 ] && echo "==> 全部通过" || echo "==> 有失败项"
exit $status
