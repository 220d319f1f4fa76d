from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "anjian.hazards"
    label = "hazards"
    verbose_name = "隐患治理"

    def ready(self) -> None:
        from anjian.enterprises import selectors as ent_selectors
        from anjian.enterprises import services as ent_services
        from anjian.hazards import calendar_impact, selectors
        from anjian.legal import impact
        from anjian.planning import selectors as planning_selectors

        # Active measures drive the unit's derived operating status (ARCHITECTURE.md: Measures).
        ent_selectors.register_measure_provider(selectors.active_measures_for_ledger)
        ent_services.register_delete_guard(selectors.enterprise_delete_guard)
        # A correction of the shared calendar lists the stored deadlines it would move (issue 8).
        impact.register_deadline_provider(calendar_impact.moved_rectification_deadlines)
        # A transfer leaves the old bureau's open hazards with it (docs/architecture.md).
        ent_services.register_transfer_hook(selectors.records_kept_on_transfer)
        # Open major hazards make a unit a key unit of the annual plan (issue 13, LEGAL.md §6).
        planning_selectors.register_open_major_hazards_provider(selectors.open_major_hazards_by_unit)
