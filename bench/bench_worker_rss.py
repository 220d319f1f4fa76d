"""Resident memory of one web worker serving the demo city (issue 2: under 250 MB).

    .venv/bin/python bench/bench_worker_rss.py [--requests 300]

Starts gunicorn (1 gthread worker) on 127.0.0.1:8765 against the configured database
(ANJIAN_DATABASE_URL, or the SQLite file under var/), logs in as a demo user, requests ledger
pages, details and API lists, and prints the worker's VmRSS before and after. Loopback only.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8765"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--user", default="zhifu_officer")
    ap.add_argument("--password", default="demo-2026!")
    args = ap.parse_args()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="anjian.settings")
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "anjian.wsgi:application", "--bind", "127.0.0.1:8765", "--worker-class", "gthread", "--workers", "1", "--threads", "4"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):
            try:
                page = opener.open(f"{BASE}/login/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("server did not start")
        worker = int(subprocess.check_output(["pgrep", "-P", str(proc.pid)]).split()[0])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        data = urllib.parse.urlencode({"username": args.user, "password": args.password, "csrfmiddlewaretoken": token}).encode()
        opener.open(urllib.request.Request(f"{BASE}/login/", data=data, headers={"Referer": f"{BASE}/login/"}), timeout=30).read()
        start = rss_mb(worker)
        ids: list[str] = []
        urls = ["/enterprises/", "/enterprises/?q=%E5%8C%96%E5%B7%A5", "/enterprises/?sector=hazchem", "/api/v1/enterprises/?page_size=200", "/enterprises/?page=3"]
        peak = start
        for i in range(args.requests):
            url = urls[i % len(urls)] if not ids or i % 3 else f"/enterprises/{ids[i % len(ids)]}/"
            body = opener.open(f"{BASE}{url}", timeout=30).read().decode()
            if not ids:
                ids = re.findall(r'/enterprises/(\d+)/"', body)[:20]
            peak = max(peak, rss_mb(worker))
        print(f"worker pid {worker}: VmRSS after login {start:.0f} MB, peak over {args.requests} requests {peak:.0f} MB, end {rss_mb(worker):.0f} MB")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
