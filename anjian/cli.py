"""The ``anjian`` console script: Django's manage.py with anjian's settings.

``anjian demo``, ``anjian refdata load``, ``anjian worker`` … are management commands.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "worker":
        # `anjian worker` runs the django-tasks database worker (ARCHITECTURE.md: background work).
        args[1] = "db_worker"
    execute_from_command_line(args)


if __name__ == "__main__":  # pragma: no cover
    main()
