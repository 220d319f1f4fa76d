"""The ``anjian`` console script: Django's manage.py with anjian's settings.

``anjian demo``, ``anjian refdata load``, ``anjian worker`` … are management commands.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    from django.core.management import execute_from_command_line

    # `anjian worker` is core's `worker` command: django-tasks-db's db_worker that retries on a
    # locked database and writes the heartbeat /healthz reads (ARCHITECTURE.md: background work).
    execute_from_command_line(list(sys.argv if argv is None else argv))


if __name__ == "__main__":  # pragma: no cover
    main()
