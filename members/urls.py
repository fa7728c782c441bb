from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_directory, name="directory"),
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/contact/", views.contact, name="contact"),
]
