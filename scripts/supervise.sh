#!/usr/bin/env bash
# Runs a command and starts it again whenever it exits, after ANJIAN_WORKER_RESTART_DELAY
# seconds (default 5). Used by start.sh for `anjian worker`: a worker that died (a crash, a
# lock it could not ride out, an out-of-memory kill) comes back by itself. TERM/INT stop both.
# Usage: scripts/supervise.sh LOGFILE COMMAND [ARGS...]
set -uo pipefail
log="$1"; shift
child=""
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM INT
while true; do
  "$@" >> "$log" 2>&1 &
  child=$!
  wait "$child"; code=$?
  echo "$(date '+%F %T') 进程退出（代码 $code），${ANJIAN_WORKER_RESTART_DELAY:-5} 秒后重启：$*" >> "$log"
  sleep "${ANJIAN_WORKER_RESTART_DELAY:-5}" & wait $!
done
