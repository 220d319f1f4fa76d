"""A hypothesis state machine over the case services (issue 9): whatever sequence of steps the
users try, no decision is made without a served notice and a defence window that has passed or
was waived in writing, and no proposed amount rises after the party's statement or defence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from anjian.cases import services
from anjian.cases.models import Case, Notice, Statement, Waiver
from anjian.core.errors import DomainError
from anjian.law import deadlines as law_deadlines
from anjian.legal import authority, lawcal
from tests.cases.conftest import START, at, filed_case, scan
from tests.conftest import make_uscc

AMOUNTS = [Decimal(x) for x in ("5000.00", "15000.00", "20000.00", "25000.00", "40000.00", "50000.00")]


class CaseMachine(RuleBasedStateMachine):
    world: ClassVar[Any] = None
    clock: ClassVar[Any] = None
    seq: ClassVar[int] = 0
    decided: ClassVar[int] = 0  # examples that reached a decision: the invariants are not vacuous

    def __init__(self) -> None:
        super().__init__()
        from anjian.enterprises import services as ent_services

        w = self.world
        self.today = START.date()
        at(self.clock, self.today)
        CaseMachine.seq += 1
        ent = ent_services.enterprise_create(
            actor=w.user("officer_a"), jurisdiction=w.district_a, name=f"状态机示例企业{CaseMachine.seq}有限公司", uscc=make_uscc(500 + CaseMachine.seq), sectors=["industry.machinery"],
            legal_representative="王五", registered_address="烟台市芝罘区示例路9号",  # the decision names the party in full (§59 ¶1(1))
        )  # fmt: skip
        self.case = filed_case(w, ent, amount=Decimal("20000.00"))
        self.violation = self.case.violations.get()
        self.decisions = 0

    def _status(self) -> str:
        return str(Case.objects.values_list("status", flat=True).get(pk=self.case.pk))

    def _try(self, fn: Any, **kw: Any) -> None:
        try:
            fn(case=self.case, **kw)
        except DomainError:
            pass  # a refused step changes nothing; the invariants check that the state stays lawful

    @precondition(lambda self: self._status() in ("filed", "notice_served"))
    @rule(amount=st.sampled_from(AMOUNTS))
    def propose(self, amount: Decimal) -> None:
        self._try(services.case_propose, actor=self.world.user("officer_a"), items=[{"violation": self.violation.pk, "amount": amount, "reasons": "裁量理由"}], proposed_on=self.today)

    @precondition(lambda self: self._status() == "filed")
    @rule()
    def issue_notice(self) -> None:
        self._try(services.notice_issue, actor=self.world.user("officer_a"), issued_on=self.today)

    @precondition(lambda self: self._status() == "notice_issued")
    @rule()
    def serve_notice(self) -> None:
        self._try(services.notice_served, actor=self.world.user("officer_a"), method="direct", event_date=self.today, recipient="当事人")

    @precondition(lambda self: self._status() == "notice_served")
    @rule()
    def defence(self) -> None:
        self._try(services.defence_record, actor=self.world.user("officer_a"), received_on=self.today, kind="defence", form="written", content="申辩意见")

    @precondition(lambda self: self._status() == "notice_served")
    @rule()
    def review(self) -> None:
        for row in Statement.objects.filter(case_id=self.case.pk, review=""):
            try:
                services.defence_review(actor=self.world.user("officer_a"), statement=row, review="已复核")
            except DomainError:
                pass

    @precondition(lambda self: self._status() == "notice_served")
    @rule()
    def waiver(self) -> None:
        self._try(services.waiver_record, actor=self.world.user("officer_a"), signed_on=self.today, signer="当事人", fh=scan(), name="放弃声明.png")

    @rule()
    def discuss(self) -> None:
        w = self.world
        self._try(services.collective_discussion_record, actor=w.user("leader_a"), held_on=self.today, attendee_ids=[w.user("leader_a").staff.pk, w.user("depthead_a").staff.pk], conclusion="同意")

    @rule(days=st.integers(min_value=1, max_value=5))
    def advance(self, days: int) -> None:
        self.today += dt.timedelta(days=days)
        at(self.clock, self.today)

    @precondition(lambda self: self._status() == "notice_served")
    @rule()
    def decide(self) -> None:
        self._try(services.decision_make, actor=self.world.user("leader_a"), decided_on=self.today)
        if Case.objects.filter(pk=self.case.pk, decided_on=self.today).exists():
            CaseMachine.decided += 1

    @invariant()
    def no_decision_without_served_notice_and_passed_or_waived_window(self) -> None:
        c = Case.objects.get(pk=self.case.pk)
        if c.decided_on is None:
            return
        n = Notice.objects.filter(case=c).order_by("-issued_on", "-id").first()
        assert n is not None and n.served_on is not None and n.served_on <= c.decided_on
        waived = Waiver.objects.filter(notice=n, signed_on__lte=c.decided_on).exists()
        # Recomputed here from the engine, independently of what the services stored.
        window = law_deadlines.evaluate(
            "defence_statement", n.served_on, calendar=lawcal.work_calendar(), overrides=lawcal.overrides_for(authority.scope_codes(c.jurisdiction.code)),
        )  # fmt: skip
        assert waived or c.decided_on > window.date
        assert c.fine_total is not None and c.fine_total <= n.fine_total

    @invariant()
    def no_increase_after_defence(self) -> None:
        n = Notice.objects.filter(case_id=self.case.pk).order_by("-issued_on", "-id").first()
        if n is None or not Statement.objects.filter(notice=n).exists():
            return
        told = {int(r["violation"]): Decimal(r["amount"]) for r in n.proposal if r["amount"] is not None}
        for v in self.case.violations.all():
            if v.proposed_amount is not None:
                assert v.proposed_amount <= told[v.pk]


def test_no_sequence_of_steps_breaks_the_procedure(cases_world, clock, settings_media) -> None:
    CaseMachine.world = cases_world
    CaseMachine.clock = clock
    CaseMachine.decided = 0
    run_state_machine_as_test(
        CaseMachine,
        settings=settings(max_examples=40, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True),
    )
    assert CaseMachine.decided > 0
