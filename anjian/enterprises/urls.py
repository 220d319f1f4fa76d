from django.urls import path

from anjian.enterprises import views, views_import

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("export.xlsx", views_import.enterprise_export, name="export"),
    path("exports/<str:token>/", views_import.export_status, name="export_status"),
    path("exports/<str:token>/download/", views_import.export_download, name="export_download"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<str:token>/", views_import.import_preview, name="import_preview"),
    path("import/<str:token>/rejected.xlsx", views_import.import_rejected, name="import_rejected"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/status/", views.enterprise_status, name="status"),
    path("<int:pk>/transfer/", views.enterprise_transfer, name="transfer"),
    path("<int:pk>/subject/", views.enterprise_subject, name="subject"),
    path("<int:pk>/subject/<int:subject_pk>/end/", views.enterprise_subject_end, name="subject_end"),
    path("<int:pk>/<str:child>/new/", views.child_create, name="child_create"),
    path("<int:pk>/<str:child>/<int:child_pk>/edit/", views.child_edit, name="child_edit"),
    path("<int:pk>/<str:child>/<int:child_pk>/delete/", views.child_delete, name="child_delete"),
]
