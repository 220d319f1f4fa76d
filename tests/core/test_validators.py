"""Property tests of the GB 32100 credit-code and GB 11643 ID-number checks."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from anjian.core.validators import USCC_ALPHABET, id_number_error, uscc_check_char, uscc_error

body = st.tuples(
    st.sampled_from("123456789ANY"),
    st.sampled_from(USCC_ALPHABET),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(USCC_ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(body)
def test_every_code_with_its_check_char_is_valid(b):
    assert uscc_error(b + uscc_check_char(b)) is None


@given(body, st.sampled_from(USCC_ALPHABET))
def test_any_other_check_char_is_refused(b, c):
    if c != uscc_check_char(b):
        assert "校验位" in uscc_error(b + c)


@given(body, st.integers(0, 16), st.sampled_from(USCC_ALPHABET))
def test_a_single_changed_character_is_detected(b, pos, c):
    code = b + uscc_check_char(b)
    if code[pos] == c or (pos in range(2, 8) and not c.isdigit()) or (pos == 0 and c not in "123456789ANY"):
        return
    changed = code[:pos] + c + code[pos + 1 :]
    assert uscc_error(changed) is not None


def test_n_y_a_prefixed_codes_are_accepted():
    # python-stdnum rejects these (PLATFORM.md); GB 32100 allows N, Y and A as the first character.
    for prefix in ("N1", "Y1", "A1", "51", "91"):
        b = prefix + "370602" + "MA3C4D5E6"
        assert uscc_error(b + uscc_check_char(b)) is None


def test_known_real_format_examples():
    assert "18位" in uscc_error("123")
    assert "第1位" in uscc_error("Z" * 18)
    assert "不允许的字符" in uscc_error("91370602MA3C4D5EIO")


id_body = st.tuples(st.text("0123456789", min_size=6, max_size=6), st.dates(dt.date(1920, 1, 1), dt.date(2010, 12, 31)), st.text("0123456789", min_size=3, max_size=3))


@given(id_body)
def test_id_numbers_with_their_check_digit_are_valid(parts):
    region, born, seq = parts
    b = region + born.strftime("%Y%m%d") + seq
    check = "10X98765432"[sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(b)) % 11]
    assert id_number_error(b + check) is None
    wrong = "0" if check != "0" else "1"
    assert "校验位" in id_number_error(b + wrong)


def test_impossible_birth_date_is_refused():
    assert "出生日期" in id_number_error("370602199002301234")
