from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("report/<str:kind>/<int:pk>/", views.report_create, name="report"),
]
