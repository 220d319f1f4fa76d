from django.urls import path

from anjian.planning import views

urlpatterns = [
    # No login: a draw's committed inputs, its result and the verification (双随机、一公开).
    path("<uuid:public_id>/", views.draw_public, name="draw-public"),
]
