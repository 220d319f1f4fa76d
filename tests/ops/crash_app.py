"""Run in the crash test's subprocesses (not collected by pytest): prepares the file-based
database a real gunicorn and a real worker use, and reads it back afterwards.

``python -c "from tests.ops.crash_app import main; main()" setup ROWS`` prints JSON with the API
token, and when ROWS > 0 queues a confirmed Excel import of ROWS units.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any


def _world() -> Any:
    from django.contrib.auth import get_user_model

    from anjian.core.models import Division, Jurisdiction
    from anjian.enterprises import refdata_loader
    from anjian.org.models import Agency, Department
    from tests.conftest import _person

    if get_user_model().objects.filter(username="officer_a").exists():
        return get_user_model().objects.get(username="officer_a")
    refdata_loader.load_sectors()
    refdata_loader.load_industries()
    refdata_loader.load_sample_schemes()
    Division.objects.get_or_create(code="370000", defaults={"name": "山东省", "level": "province"})
    Division.objects.get_or_create(code="370600", defaults={"name": "烟台市", "level": "city", "parent_id": "370000"})
    Division.objects.get_or_create(code="370602", defaults={"name": "芝罘区", "level": "county", "parent_id": "370600"})
    start = dt.date(2019, 1, 1)
    city = Jurisdiction.objects.create(code="370600", name="烟台市", kind="city", valid_from=start)
    a = Jurisdiction.objects.create(code="370602", name="芝罘区", kind="district", parent=city, valid_from=start)
    a.divisions.add("370602")
    ac = Agency.objects.create(
        name="烟台市应急管理局", short_name="市应急局", doc_abbr="烟应急", level="city", jurisdiction=city, review_body="烟台市人民政府", court="烟台市莱山区人民法院"
    )
    aa = Agency.objects.create(
        name="烟台市芝罘区应急管理局",
        short_name="芝罘区应急局",
        doc_abbr="芝应急",
        level="district",
        jurisdiction=a,
        parent=ac,
        review_body="烟台市芝罘区人民政府",
        court="烟台市芝罘区人民法院",
    )
    for ag in (ac, aa):
        Department.objects.create(agency=ag, name="执法大队", kind="enforcement", setup="internal")
    return _person({}, "officer_a", aa, ["officer"])


def setup(rows: int) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anjian.core import tokens

    user = _world()
    _, key = tokens.create(actor=user, name="崩溃测试", days=1)
    out: dict[str, Any] = {"token": key}
    if rows:
        from anjian.enterprises import importing
        from tests.enterprises.test_import import good, xlsx

        data = xlsx([good(i) for i in range(rows)])
        job = importing.import_start(actor=user, upload=SimpleUploadedFile("崩溃测试.xlsx", data))
        assert job.meta["status"] == "previewed", job.meta
        importing.import_confirm(actor=user, token=job.token)
        out["import_token"] = job.token
    return out


def main() -> None:
    import django

    django.setup()
    action = sys.argv[1]
    if action == "setup":
        print(json.dumps(setup(int(sys.argv[2]))))
    else:  # pragma: no cover
        raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":  # pragma: no cover
    main()
