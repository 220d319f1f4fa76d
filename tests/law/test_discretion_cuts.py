"""A local discretion standard's cut points (裁量基准) and the spread of comparable decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anjian.law.comparables import MIN_COMPARABLES, Spread, far_from, spread
from anjian.law.errors import LawError
from anjian.law.penalties import Band, DiscretionCuts, FineRange, band_of, check_amount, check_cuts, discretion_bands, legal_range

W = Decimal("10000")
SRC = "芝罘区应急管理局行政处罚裁量基准（芝应急发〔2026〕3号）"


def test_cuts_give_the_bands_of_a_maximum_only_range() -> None:
    cuts = DiscretionCuts(Decimal("10000"), Decimal("30000"), SRC)
    bands = discretion_bands(legal_range("P12"), cuts)  # 5万元以下
    assert (bands[Band.LENIENT].minimum, bands[Band.LENIENT].maximum) == (None, 1 * W)
    assert (bands[Band.ORDINARY].minimum, bands[Band.ORDINARY].maximum) == (1 * W, 3 * W)
    assert (bands[Band.HEAVY].minimum, bands[Band.HEAVY].maximum) == (3 * W, 5 * W)
    assert SRC in bands[Band.HEAVY].basis


@pytest.mark.parametrize(
    ("amount", "band"),
    [("10000.00", Band.LENIENT), ("10000.01", Band.ORDINARY), ("29999.99", Band.ORDINARY), ("30000.00", Band.HEAVY), ("50000.00", Band.HEAVY), ("50000.01", None)],
)
def test_band_from_cuts_on_the_boundaries(amount: str, band: Band | None) -> None:
    cuts = DiscretionCuts(Decimal("10000"), Decimal("30000"), SRC)
    assert band_of(Decimal(amount), legal_range("P12"), cuts) is band


def test_cuts_differ_from_the_default_thirds() -> None:
    r = FineRange(Decimal("20000.00"), Decimal("50000.00"), "x")
    assert band_of(Decimal("25000"), r) is Band.LENIENT  # default: lenient up to 3万
    assert band_of(Decimal("25000"), r, DiscretionCuts(Decimal("22000"), Decimal("45000"), SRC)) is Band.ORDINARY
    check = check_amount(Decimal("46000"), r, config=DiscretionCuts(Decimal("22000"), Decimal("45000"), SRC))
    assert check.lawful and check.band is Band.HEAVY


@pytest.mark.parametrize(("a", "b", "field"), [("0", "30000", "lenient_to"), ("10000", "50000", "heavy_from"), ("10000", "60000", "heavy_from")])
def test_cuts_outside_the_legal_range_are_refused_naming_the_article(a: str, b: str, field: str) -> None:
    with pytest.raises(LawError) as exc:
        check_cuts(DiscretionCuts(Decimal(a) if a != "0" else Decimal("0.00"), Decimal(b), SRC), legal_range("P12"))
    assert exc.value.field == field
    assert "安全生产法第一百零二条" in (exc.value.article or "")
    assert "行政处罚法第三十四条" in (exc.value.article or "")
    with pytest.raises(LawError):
        band_of(Decimal("100"), legal_range("P12"), DiscretionCuts(Decimal(a), Decimal(b), SRC))


def test_cuts_below_a_minimum_are_refused() -> None:
    r = FineRange(Decimal("20000.00"), Decimal("50000.00"), "某法第一条")
    with pytest.raises(LawError, match="不在法定幅度"):
        check_cuts(DiscretionCuts(Decimal("20000"), Decimal("30000"), SRC), r)


def test_cuts_must_increase_and_name_their_source() -> None:
    with pytest.raises(LawError) as exc:
        DiscretionCuts(Decimal("30000"), Decimal("30000"), SRC)
    assert exc.value.field == "heavy_from"
    with pytest.raises(LawError) as exc:
        DiscretionCuts(Decimal("1"), Decimal("2"), "  ")
    assert exc.value.field == "source"
    with pytest.raises(LawError):
        DiscretionCuts(Decimal("1.001"), Decimal("2"), SRC)


def test_spread_of_decided_amounts() -> None:
    s = spread([Decimal(x) for x in ("10000", "20000", "30000", "40000", "50000")])
    assert (s.count, s.minimum, s.q1, s.median, s.q3, s.maximum) == (5, Decimal("10000.00"), Decimal("15000.00"), Decimal("30000.00"), Decimal("45000.00"), Decimal("50000.00"))
    even = spread([Decimal(x) for x in ("1", "2", "3", "4")])
    assert (even.q1, even.median, even.q3) == (Decimal("1.50"), Decimal("2.50"), Decimal("3.50"))
    one = spread([Decimal("7")])
    assert (one.q1, one.median, one.q3) == (Decimal("7.00"), Decimal("7.00"), Decimal("7.00"))
    assert spread([]) == Spread(0)
    assert not one.comparable and one.fences() is None


def test_far_from_the_comparables() -> None:
    s = spread([Decimal(x) for x in ("20000", "20000", "22000", "25000", "25000", "30000")])
    assert s.comparable and s.count >= MIN_COMPARABLES
    low, high = s.fences()  # type: ignore[misc]
    assert (low, high) == (Decimal("12500.00"), Decimal("32500.00"))
    assert far_from(Decimal("50000"), s).far
    assert "明显高于" in far_from(Decimal("50000"), s).message
    assert far_from(Decimal("5000"), s).far and "明显低于" in far_from(Decimal("5000"), s).message
    assert not far_from(Decimal("26000"), s)
    assert "相当" in far_from(Decimal("26000"), s).message
    few = spread([Decimal("1000")] * 4)
    assert not far_from(Decimal("50000"), few) and "少于5件" in far_from(Decimal("50000"), few).message
    # The lower fence never goes below zero.
    wide = spread([Decimal(x) for x in ("100", "100", "100", "50000", "50000", "50000")])
    assert wide.fences()[0] == Decimal("0.00")  # type: ignore[index]
