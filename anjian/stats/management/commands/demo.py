from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils import timezone

from anjian.cases import demo as cases_demo
from anjian.complaints import demo as complaints_demo
from anjian.core import db
from anjian.enterprises import demo
from anjian.stats import demo as activity


class Command(BaseCommand):
    help = (
        "生成演示数据：烟台市应急管理局、11个区（市）局和烟台经济技术开发区局，人员、执法证、各角色登录账号，"
        "企业台账（默认3000家），芝罘区各办案阶段的演示案件，本年1月1日至今天的业务数据，各机关本年度经批准的监督检查计划和一次双随机抽取"
        "（各机关的监督检查、隐患及整改、延期、复查、现场处理措施、恢复生产审查、移交和文书，均经业务服务办理）。"
        "用法：anjian demo [--enterprises N] [--seed S] [--activity-scale X] [--no-activity] [--no-cases] [--no-plans] [--ledger-only] [--if-empty]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=demo.DEFAULT_ENTERPRISES, help=f"企业数量（默认{demo.DEFAULT_ENTERPRISES}）")
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help=f"随机种子（默认{demo.DEFAULT_SEED}）；同一种子、同一日期生成相同数据")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有机关时不生成，只列出登录账号")
        parser.add_argument(
            "--activity-scale", type=float, default=activity.DEFAULT_SCALE,
            help=f"业务数据规模：检查次数的倍数（默认{activity.DEFAULT_SCALE:g}，约每名执法人员每月{activity.Rates().inspections_per_officer_month:g}次检查）",
        )  # fmt: skip
        parser.add_argument("--no-activity", action="store_true", help="不生成本年的业务数据（检查、隐患、移交等）")
        parser.add_argument("--no-cases", action="store_true", help="不生成芝罘区的演示案件（可之后运行 anjian demo_cases）")
        parser.add_argument("--no-plans", action="store_true", help="不生成各机关本年度的监督检查计划和双随机抽取")
        parser.add_argument("--ledger-only", action="store_true", help="只生成机关、人员和企业台账（同 --no-activity --no-cases）")

    def handle(self, *args: Any, **opts: Any) -> None:
        # The demo's hundreds of documents get their PDF when first printed (the register's
        # "生成PDF"), not all at once from the worker while the newcomer looks around.
        with override_settings(ANJIAN_PDF_ON_ISSUE=False):
            self._handle(**opts)

    def _handle(self, **opts: Any) -> None:
        n = opts["enterprises"]
        if n < 0:
            raise CommandError("企业数量不能为负数。")
        scale = opts["activity_scale"]
        if not scale >= 0:
            raise CommandError("业务数据规模不能为负数。")
        with_cases = not (opts["no_cases"] or opts["ledger_only"])
        with_activity = not (opts["no_activity"] or opts["ledger_only"]) and scale > 0
        if demo.has_data():
            if opts["if_empty"]:
                self.stdout.write("数据库中已有机关数据，未生成演示数据。")
                self._logins(demo.current_logins())
                return
            raise CommandError("数据库中已有机关数据：演示数据只能生成到空数据库。请使用新的数据库，或加 --if-empty 跳过。")
        result = demo.generate(enterprises=n, seed=opts["seed"], progress=self.stdout.write)
        # Fresh planner statistics (and, outside a transaction, the visibility map) after a bulk
        # load of nearly every table, or the first queries plan for empty tables (core.db).
        db.analyze(vacuum=True)
        c = result.counts
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成（随机种子{result.seed}，用时{result.seconds:.1f}秒）。"))
        self.stdout.write(
            f"机关{c.get('agencies', 0)}个，辖区{c.get('jurisdictions', 0)}个，科室{c.get('departments', 0)}个，"
            f"人员{sum(v for k, v in c.items() if k.startswith('staff_'))}名（在编{c.get('staff_civil_servant', 0)}、专家{c.get('staff_expert', 0)}、辅助{c.get('staff_auxiliary', 0)}），"
            f"执法证{c.get('certificates', 0)}本（已过期{c.get('certificates_expired', 0)}、暂扣{c.get('certificates_suspended', 0)}）。"
        )
        self.stdout.write(
            f"企业{c.get('enterprises', 0)}家（无证无照{c.get('unlicensed', 0)}），经营场所{c.get('sites', 0)}处，化工园区{c.get('chemical_parks', 0)}个，"
            f"许可证{c.get('licences', 0)}个（已过期{c.get('licences_expired', 0)}），关键人员{c.get('key_people', 0)}名，"
            f"重大危险源{c.get('hazard_sources', 0)}处，年度计划执法主体{c.get('planned_subjects', 0)}条，经营状态变更{c.get('status_events', 0)}条。"
        )
        if with_cases:
            try:
                cases = cases_demo.generate(progress=self.stdout.write)
            except RuntimeError as exc:  # too few units or officers in a tiny demo: the ledger stands
                self.stdout.write(self.style.WARNING(f"未生成演示案件：{exc}"))
            else:
                self.stdout.write(self.style.SUCCESS(f"演示案件已生成（芝罘区），共{len(cases.titles)}件。"))
        if with_activity:
            act = activity.generate(seed=opts["seed"], scale=scale, today=timezone.localdate(), progress=self.stdout.write)
            db.analyze(vacuum=True)
            self.stdout.write(
                self.style.SUCCESS(
                    f"业务数据已生成：{act.first_day:%Y年%m月%d日}至{act.last_day:%Y年%m月%d日}（规模{act.scale:g}，用时{act.seconds:.1f}秒），"
                    f"为{act.counts.get('accounts_created', 0)}名执法人员开通了账号（密码同下）。"
                )
            )
            self.stdout.write(activity.summary_line(act.counts))
            if act.refused:  # the rules refused some generated acts: shown, not hidden
                self.stdout.write(self.style.WARNING("业务规则拒绝的操作（未生成）：" + "，".join(f"{code}{n}次" for code, n in sorted(act.refused.items())) + "。"))
        if not (opts["ledger_only"] or opts["no_plans"]):
            self._plans(opts["seed"])
        if with_cases and with_activity:
            # After the activity: a complaint names one of its inspections (complaints/demo.py).
            comp = complaints_demo.generate(today=timezone.localdate(), progress=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(f"演示投诉举报已生成，共{sum(comp.counts.values())}件。"))
            if comp.skipped:
                self.stdout.write(self.style.WARNING("未生成的演示投诉举报：" + "，".join(comp.skipped) + "。"))
        self._logins(demo.current_logins())

    def _plans(self, seed: int) -> None:
        """This year's approved plan per bureau, this month's items partly done, one verifiable draw."""
        from anjian.planning import demo as planning_demo

        res = planning_demo.generate(seed=seed, progress=self.stdout.write, carry_out=_carry_out)
        draw = f"，双随机抽取1次（编号{res.draw_id}，可用 anjian draw verify {res.draw_id} 核验）" if res.draw_id else ""
        published = f"，{len(res.published)}份计划已备案并公布（公示页面 /public/plans/）" if res.published else ""
        relation = "，利害关系申报1项（抽取时回避）" if res.relation_id else ""
        self.stdout.write(
            self.style.SUCCESS(f"年度监督检查计划已生成并批准：{len(res.plans)}个机关，本月按计划完成检查{res.linked}次{published}{relation}{draw}（用时{res.seconds:.1f}秒）。")
        )
        for line in res.skipped[:5]:
            self.stdout.write(self.style.WARNING(f"  未生成：{line}"))

    def _logins(self, logins: list[demo.Login]) -> None:
        self.stdout.write("")
        if not logins:
            self.stdout.write("数据库中没有演示登录账号（该库不是由 anjian demo 生成的）。")
            return
        self.stdout.write(f"演示登录账号（密码均为 {demo.DEMO_PASSWORD}）：")
        self.stdout.write(demo.logins_table(logins))
        self.stdout.write("")
        self.stdout.write(demo.separated_admins_note(logins))


def _carry_out(actor: Any, item: Any, team: list[int], start: Any, day: Any) -> None:
    """One plan item done for the demo: an inspection started from the item and completed, through
    the inspections services (planning, a layer below, cannot call them)."""
    import datetime as dt

    from anjian.inspections import services as inspections

    insp = inspections.inspection_create(
        actor=actor, enterprise=item.enterprise, type="planned", inspected_on=day, started_at=start,
        place=f"{item.enterprise_name}生产经营场所", officer_ids=team, template_ids=[], plan_item_id=item.pk,
    )  # fmt: skip
    inspections.inspection_complete(
        actor=actor, inspection=insp, party_representative=item.enterprise.principal or "现场负责人", party_signature="signed",
        ended_at=min(start + dt.timedelta(minutes=75), timezone.now()), summary="按年度监督检查计划开展检查，未发现问题。",
    )  # fmt: skip
