from django.urls import path

from . import views

app_name = "works"
urlpatterns = [
    path("works/<int:work_id>/", views.work_detail, name="work"),
    path("works/<int:work_id>/bibtex/", views.work_bibtex, name="bibtex"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("institutions/<int:institution_id>/", views.institution_detail, name="institution"),
    path("search/", views.search, name="search"),
]
