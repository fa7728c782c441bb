from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.statistics, name="index"),
    path("<slug:table>.csv", views.statistics_csv, name="csv"),
]
