from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "anjian.inspections"
    label = "inspections"
    verbose_name = "监督检查"

    def ready(self) -> None:
        from django.urls import reverse

        from anjian.documents import registry

        # The documents register links a document to its inspection (documents knows no app, rule 1).
        registry.register_subject("inspections.inspection", "监督检查", lambda pk: reverse("inspections:detail", args=[int(pk)]))
        # The 现场检查记录 is found by its inspection (not held by id): a re-issue needs nothing more.
        from anjian.documents import services as document_services

        document_services.register_reissue("inspection_record")

        from anjian.inspections import services
        from anjian.planning import selectors as planning_selectors

        # A random draw avoids the officers who inspected the unit last time (issue 13 item 5).
        planning_selectors.register_last_inspectors_provider(services.last_inspectors)
        # Planned against done: the completed inspections linked to plan items (issue 13 item 7).
        planning_selectors.register_plan_done_provider(services.plan_done)
