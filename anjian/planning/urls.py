from django.urls import path

from anjian.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("capacity/", views.capacity, name="capacity"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile"),
    path("relations/", views.relations, name="relations"),
    path("relations/<int:pk>/end/", views.relation_end, name="relation_end"),
    path("draws/", views.draw_list, name="draws"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("draws/<int:pk>/perform/", views.draw_perform, name="draw_perform"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/items/<int:item_pk>/", views.item_update, name="item"),
    path("<int:pk>/submit/", views.plan_submit, name="submit"),
    path("<int:pk>/return/", views.plan_return, name="return"),
    path("<int:pk>/approve/", views.plan_approve, name="approve"),
    path("<int:pk>/revise/", views.plan_revise, name="revise"),
    path("<int:pk>/file/", views.plan_file, name="file"),
    path("<int:pk>/publish/", views.plan_publish, name="publish"),
    path("<int:pk>/xlsx/", views.plan_xlsx, name="xlsx"),
]
