from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "anjian.hazards"
    label = "hazards"
    verbose_name = "隐患治理"

    def ready(self) -> None:
        from django.urls import reverse

        from anjian.documents import registry
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
        # The documents register links an order to its (first) hazard, a decision to its measure.
        registry.register_subject("hazards.hazard", "隐患", lambda pk: reverse("hazards:detail", args=[int(pk)]))
        # An erroneous proof of service takes back the deadlines computed from it.
        from anjian.documents import services as document_services
        from anjian.hazards import services as hazard_services

        document_services.register_service_correction(hazard_services.service_corrected)
        # A document re-issued before service (its page) is held by the records that held the old one.
        for code in ("rectification_order", "onsite_measure_decision", "reinspection_opinion"):
            document_services.register_reissue(code, hazard_services.document_reissued)
        # An inspection's printed bundle holds the papers of the hazards it found (documents.printing).
        registry.register_bundle("inspections.inspection", selectors.inspection_bundle)
        registry.register_subject("hazards.measure", "现场处理措施", lambda pk: reverse("hazards:measure", args=[int(pk)]))
        # Open major hazards make a unit a key unit of the annual plan (issue 13, LEGAL.md §6).
        planning_selectors.register_open_major_hazards_provider(selectors.open_major_hazards_by_unit)
