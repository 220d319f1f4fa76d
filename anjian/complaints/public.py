"""The public page's guards: a challenge that needs no outside service, and rate limits per source.

- **Challenge.** A small sum in Chinese words ("七加五等于多少？"): the answer is carried in a signed,
  timestamped token (Django's signing with the secret key) together with a random nonce; the nonce
  is spent in the cache on first use, so one solved challenge admits one submission.
- **Rate limits.** Submissions and status look-ups per source IP per hour, counted in Django's
  cache (locmem by default, Redis when ``ANJIAN_REDIS_URL`` is set: shared by every worker).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "anjian.complaints.challenge"
MAX_AGE = 30 * 60  # seconds a challenge stays valid
DIGITS = "零一二三四五六七八九十"


def _words(n: int) -> str:
    if n <= 10:
        return DIGITS[n]
    return ("" if n < 20 else DIGITS[n // 10]) + "十" + (DIGITS[n % 10] if n % 10 else "")


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def challenge_new() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a + b, "n": secrets.token_urlsafe(12)}, salt=SALT)
    return Challenge(f"{_words(a)}加{_words(b)}等于多少？（请填写阿拉伯数字）", token)


def challenge_check(token: str, answer: str) -> str | None:
    """``None`` when ``answer`` solves the challenge ``token`` (and spends it), else the Chinese reason."""
    try:
        data = signing.loads(str(token or ""), salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return "验证题已过期，请重新作答。"
    except signing.BadSignature:
        return "验证题无效，请重新作答。"
    text = str(answer or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 3 or int(text) != int(data["a"]):
        return "验证题答案不正确。"
    # Single use: the first request that spends the nonce wins.
    if not cache.add(f"complaints:challenge:{data['n']}", 1, MAX_AGE + 60):
        return "验证题已使用过，请重新作答。"
    return None


def _limit(name: str) -> int:
    return int(getattr(settings, name, 0))


def rate_limited(kind: str, ip: str | None, *, per_hour: int) -> bool:
    """Count one request of ``kind`` from ``ip``; True when over ``per_hour`` in the current hour."""
    key = f"complaints:rate:{kind}:{ip or 'unknown'}"
    if cache.add(key, 1, 3600):
        return per_hour < 1
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, 3600)
        n = 1
    return n > per_hour


def submissions_per_hour() -> int:
    return _limit("ANJIAN_PUBLIC_REPORTS_PER_HOUR") or 5


def lookups_per_hour() -> int:
    return _limit("ANJIAN_PUBLIC_STATUS_LOOKUPS_PER_HOUR") or 30
