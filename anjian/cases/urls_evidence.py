"""Pages of penalty cases: evidence (included by cases.urls under /cases/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from anjian.cases import views_evidence as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/evidence/interview-notice/", views.interview_notice, name="evidence-interview-notice"),
    path("<int:pk>/evidence/interview/", views.interview, name="evidence-interview"),
    path("<int:pk>/evidence/survey/", views.survey, name="evidence-survey"),
    path("<int:pk>/evidence/sample/", views.sample, name="evidence-sample"),
    path("<int:pk>/evidence/preservation/", views.preservation, name="evidence-preservation"),
    path("<int:pk>/evidence/preservation/<int:pres_pk>/approve/", views.preservation_approve, name="evidence-preservation-approve"),
    path("<int:pk>/evidence/preservation/<int:pres_pk>/decide/", views.preservation_decide, name="evidence-preservation-decide"),
    path("<int:pk>/evidence/file/", views.evidence_file, name="evidence-file"),
    path("<int:pk>/evidence/recusal/", views.recusal, name="evidence-recusal"),
    path("<int:pk>/evidence/recusal/<int:rec_pk>/decide/", views.recusal_decide, name="evidence-recusal-decide"),
]
