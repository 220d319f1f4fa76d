"""The demo's activity is deterministic: the same seed on the same date gives the same rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from anjian.inspections.models import Inspection
from anjian.stats import demo
from tests.stats.test_demo_activity import RATES, load_city

pytestmark = pytest.mark.django_db


def _generate(seed: int) -> str:
    """Generate into a savepoint, take the digest, roll the savepoint back."""
    today = timezone.localdate()
    with transaction.atomic():
        result = demo.generate(seed=seed, rates=RATES, scale=0.6, today=today, first=today - dt.timedelta(days=45))
        assert result.counts["inspections"] > 0 and result.refused == {}
        digest = demo.activity_digest()
        transaction.set_rollback(True)
    assert not Inspection.objects.exists()
    return digest


def test_same_seed_same_rows(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock(), transaction.atomic():
        load_city(enterprises=80)
        first = _generate(5)
        assert _generate(5) == first
        assert _generate(6) != first
        transaction.set_rollback(True)
