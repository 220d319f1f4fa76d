from django.urls import path

from anjian.documents import views, views_register

app_name = "documents"

urlpatterns = [
    path("", views_register.register, name="register"),
    path("export/", views_register.register_xlsx, name="register_xlsx"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/void/", views.document_void_view, name="void"),
    path("<int:pk>/service/<int:record_pk>/erroneous/", views.service_erroneous_view, name="service_erroneous"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/pdf/again/", views.document_pdf_again, name="pdf_again"),
]
