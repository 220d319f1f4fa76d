"""The clocks of a complaint or report, computed from stored facts by the legal engine each time
(ARCHITECTURE.md rule 3): 信访工作条例 §22–§23 (acceptance, 15 days), §34 (handling, 60 days, +30
with approval), §35–§36 (review and re-review: request within 30 days, answer within 30), and for
safety reports 安全生产法 §73 with the local 60 (+30) days (``safety_report_handling``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from anjian.complaints.choices import ExtensionStatus, Kind
from anjian.complaints.models import Submission
from anjian.core.errors import DomainError
from anjian.law import deadlines as law_deadlines
from anjian.law.errors import LawError
from anjian.legal import authority, lawcal


def evaluate(sub: Submission, code: str, trigger: dt.date) -> law_deadlines.DeadlineResult:
    codes = authority.scope_codes(sub.jurisdiction.code)
    try:
        return law_deadlines.evaluate(code, trigger, calendar=lawcal.work_calendar(), step_date=trigger, overrides=lawcal.overrides_for(codes))
    except LawError as exc:
        raise DomainError(exc.message, code=exc.code, article=exc.article or "") from None


def handling_rule(sub: Submission) -> str:
    return "petition_handling" if sub.kind == Kind.COMPLAINT else "safety_report_handling"


def acceptance_due(sub: Submission) -> law_deadlines.DeadlineResult:
    return evaluate(sub, "petition_acceptance", sub.received_on)


def handling_due(sub: Submission, *, with_extension: bool = True) -> law_deadlines.DeadlineResult | None:
    """The reply deadline: 60 days from acceptance, +30 once an extension is approved."""
    if sub.accepted_on is None:
        return None
    base = evaluate(sub, handling_rule(sub), sub.accepted_on)
    if with_extension and sub.extension_status == ExtensionStatus.APPROVED:
        return law_deadlines.inherit_flags(evaluate(sub, f"{handling_rule(sub)}_extension", base.date), base)
    return base


def review_request_due(sub: Submission) -> law_deadlines.DeadlineResult | None:
    return evaluate(sub, "petition_review_request", sub.reply_received_on) if sub.reply_received_on else None


def review_answer_due(sub: Submission) -> law_deadlines.DeadlineResult | None:
    return evaluate(sub, "petition_review_answer", sub.review_requested_on) if sub.review_requested_on else None


def re_review_request_due(sub: Submission) -> law_deadlines.DeadlineResult | None:
    return evaluate(sub, "petition_re_review_request", sub.review_answered_on) if sub.review_answered_on else None


def re_review_answer_due(sub: Submission) -> law_deadlines.DeadlineResult | None:
    return evaluate(sub, "petition_re_review_answer", sub.re_review_requested_on) if sub.re_review_requested_on else None


@dataclass(frozen=True)
class Clock:
    """One deadline as the detail page shows it: the rule, the article, the due date and whether
    the act it waits for was done (``done_on``) in time."""

    name: str
    article: str
    due: dt.date
    done_on: dt.date | None
    provisional: bool
    party: bool  # a window of the submitter's (a request), never "overdue" for the bureau

    @property
    def late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due

    def overdue(self, today: dt.date) -> bool:
        return not self.party and self.done_on is None and today > self.due


def clocks(sub: Submission) -> list[Clock]:
    """Every clock that has started, in the order of the procedure."""
    out: list[Clock] = []
    accepted_or_declined = sub.accepted_on or (sub.closed_on if sub.decline_reason else None)

    def add(result: law_deadlines.DeadlineResult | None, done: dt.date | None) -> None:
        if result is not None:
            out.append(Clock(result.name, result.basis, result.date, done, result.provisional, result.protects_party))

    add(acceptance_due(sub), accepted_or_declined)
    add(handling_due(sub), sub.replied_on)
    add(review_request_due(sub), sub.review_requested_on)
    add(review_answer_due(sub), sub.review_answered_on)
    add(re_review_request_due(sub), sub.re_review_requested_on)
    add(re_review_answer_due(sub), sub.re_review_answered_on)
    return out
