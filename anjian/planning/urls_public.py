from django.urls import path

from anjian.planning import views

urlpatterns = [
    # No login: a draw's committed inputs, its result and the verification (双随机、一公开).
    path("draws/<uuid:public_id>/", views.draw_public, name="draw-public"),
    # No login: the bureaus' published plans (totals only) and their draws (issue 13 item 6).
    path("plans/", views.public_plans_index, name="public-plans"),
    path("plans/<str:code>/", views.public_plans, name="public-plans-agency"),
]
