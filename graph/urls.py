from django.urls import path

from . import views

app_name = "graph"
urlpatterns = [
    path("researchers/<slug:slug>-<int:author_id>/graph/", views.graph_fragment, name="fragment"),
    path("researchers/<slug:slug>-<int:author_id>/explorer/", views.explorer, name="explorer"),
]
