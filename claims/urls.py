from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("researchers/<slug:slug>-<int:author_id>/claim/", views.claim, name="claim"),
]
