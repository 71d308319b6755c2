from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("", views.home, name="home"),
    path("researchers/<slug:slug>-<int:author_id>/", views.profile, name="profile"),
    path("researchers/<int:author_id>/follow/", views.follow, name="follow"),
    path("trust/", views.trust_formula, name="trust"),
]
