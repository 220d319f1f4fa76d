"""Errors of the legal engine.

Every refusal carries a machine code, a Chinese message for the user, the article it rests on
(when there is one) and the name of the input it is about, so that an API can answer 422 with
``{"code", "message", "article", "field"}`` and a form can show the message next to the field
(ARCHITECTURE.md, rule 7: errors speak Chinese and name the rule).
"""

from __future__ import annotations


class LawError(ValueError):
    """Base class: a legal computation was refused because of its input."""

    default_code = "law_error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        article: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code: str = code or self.default_code
        self.message: str = message
        self.article: str | None = article
        self.field: str | None = field

    def as_dict(self) -> dict[str, str | None]:
        """The error as plain data, for an API response body."""
        return {
            "code": self.code,
            "message": self.message,
            "article": self.article,
            "field": self.field,
        }


class RuleDataError(LawError):
    """Rule data (YAML or data passed in) is malformed."""

    default_code = "rule_data_invalid"


class UnknownRuleError(LawError):
    """A deadline rule code that is not in the rule set."""

    default_code = "unknown_rule"


class RuleNotInForceError(LawError):
    """No version of a rule is in force on the date asked for."""

    default_code = "rule_not_in_force"


class UnverifiedRuleError(LawError):
    """A value from a repealed rule is used for a later step without confirmation."""

    default_code = "rule_unverified"


class ProvisionalWindowError(LawError):
    """A step relies on the provisional end of a window that protects the party."""

    default_code = "window_provisional"


class CalendarError(LawError):
    """Calendar data or a calendar computation is invalid."""

    default_code = "calendar_invalid"


class DateOutOfRangeError(CalendarError):
    """A date before 2004-01-01 (the first year of official schedules we hold) or past 9999."""

    default_code = "date_out_of_range"


class PeriodError(LawError):
    """A period length, unit or direction is invalid."""

    default_code = "period_invalid"


class ServiceError(LawError):
    """A service (送达) that the law does not allow as described."""

    default_code = "service_invalid"


class AmountError(LawError):
    """A money amount that is not a valid yuan amount."""

    default_code = "amount_invalid"


class NegativeAmountError(AmountError):
    default_code = "amount_negative"


class AmountPrecisionError(AmountError):
    default_code = "amount_precision"


class UnknownViolationError(LawError):
    """A violation id that is not in the penalty catalogue."""

    default_code = "unknown_violation"


class PenaltyClauseError(LawError):
    """No penalty clause matches the subject or circumstance asked for."""

    default_code = "penalty_clause_missing"


class OverrideError(LawError):
    """A rule override that is incomplete or conflicts with another."""

    default_code = "override_invalid"


class OverrideSourceMissingError(OverrideError):
    default_code = "override_source_missing"


class HazardCriteriaError(LawError):
    """Major-hazard criteria data or codes are invalid."""

    default_code = "hazard_criteria_invalid"
