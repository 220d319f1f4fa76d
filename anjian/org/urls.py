from django.urls import path

from anjian.org import views

app_name = "org"

urlpatterns = [
    path("", views.agency, name="agency"),
    path("agency/edit/", views.agency_edit, name="agency_edit"),
    path("agency/head/", views.agency_head, name="agency_head"),
    path("departments/", views.departments, name="departments"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/transfer-in/", views.staff_transfer_in, name="staff_transfer_in"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/memberships/new/", views.membership_add, name="membership_add"),
    path("staff/<int:pk>/memberships/<int:mpk>/end/", views.membership_end, name="membership_end"),
    path("staff/<int:pk>/memberships/<int:mpk>/roles/", views.membership_roles, name="membership_roles"),
    path("staff/<int:pk>/certificates/new/", views.certificate_add, name="certificate_add"),
    path("staff/<int:pk>/certificates/<int:cpk>/events/new/", views.certificate_event, name="certificate_event"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/legal-qualification/", views.legal_qualification, name="legal_qualification"),
    path("staff/<int:pk>/safety-qualification/", views.safety_qualification, name="safety_qualification"),
    path("certificates/", views.certificates, name="certificates"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
]
