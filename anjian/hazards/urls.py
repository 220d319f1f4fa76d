from django.urls import path

from anjian.hazards import views

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_create, name="create"),
    path("order/", views.order_issue, name="order"),
    path("reinspect/", views.reinspect_start, name="reinspect"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/serve/", views.document_serve, name="serve"),
    path("<int:pk>/report/", views.hazard_report, name="report"),
    path("<int:pk>/extension/", views.extension_request, name="extension"),
    path("<int:pk>/extension/<int:ext_pk>/decide/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/opinion/", views.opinion_issue, name="opinion"),
    path("<int:pk>/close/", views.hazard_close, name="close"),
    path("<int:pk>/supervise/", views.hazard_supervise, name="supervise"),
    path("set-asides/<int:pk>/decide/", views.set_aside_decide, name="set_aside_decide"),
    path("set-asides/<int:pk>/withdraw/", views.set_aside_withdraw, name="set_aside_withdraw"),
    path("approvals/", views.approvals, name="approvals"),
    path("<int:pk>/measure/", views.measure_decide, name="measure_decide"),
    path("reinspections/<int:pk>/decide/", views.reinspection_decide, name="reinspection_decide"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/restart/", views.restart_apply, name="restart_apply"),
    path("measures/<int:pk>/restart/<int:rr_pk>/review/", views.restart_review, name="restart_review"),
    path("inspections/<int:pk>/record/", views.inspection_record, name="inspection_record"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/new/", views.transfer_send, name="transfer_send"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/return/", views.transfer_return, name="transfer_return"),
    path("enterprises/<int:pk>/timeline/", views.enterprise_timeline, name="timeline"),
    path("enterprises/<int:pk>/two-lists/", views.two_lists, name="two_lists"),
    path("enterprises/<int:pk>/two-lists.xlsx", views.two_lists_export, name="two_lists_export"),
    path("enterprises/<int:pk>/institutional/", views.institutional_create, name="institutional_create"),
    path("institutional/<int:pk>/done/", views.institutional_done, name="institutional_done"),
]
