from django.urls import path

from anjian.documents import views, views_print, views_register, views_templates

app_name = "documents"

urlpatterns = [
    path("", views_register.register, name="register"),
    path("export/", views_register.register_xlsx, name="register_xlsx"),
    path("print/", views_print.batch, name="print_batch"),
    path("print/<int:pk>/", views_print.job_detail, name="print_job"),
    path("print/<int:pk>/pdf/", views_print.job_pdf, name="print_job_pdf"),
    path("bundle/<str:subject_type>/<str:subject_id>/", views_print.bundle, name="bundle"),
    path("templates/", views_templates.template_list, name="templates"),
    path("templates/<slug:code>/", views_templates.template_kind, name="template_kind"),
    path("templates/<slug:code>/upload/", views_templates.template_upload, name="template_upload"),
    path("templates/<slug:code>/reset/", views_templates.template_reset, name="template_reset"),
    path("templates/<slug:code>/<int:pk>/activate/", views_templates.template_activate, name="template_activate"),
    path("templates/<slug:code>/<int:pk>/file/", views_templates.template_file, name="template_file"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/void/", views.document_void_view, name="void"),
    path("<int:pk>/reissue/", views.document_reissue_view, name="reissue"),
    path("<int:pk>/service/<int:record_pk>/erroneous/", views.service_erroneous_view, name="service_erroneous"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/pdf/again/", views.document_pdf_again, name="pdf_again"),
]
