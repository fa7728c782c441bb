from django.urls import path

from . import views

app_name = "machines"

# Mounted under /machines/; the fixed words come first and are reserved machine slugs.
urlpatterns = [
    path("", views.machine_list, name="list"),
    path("new/", views.machine_create, name="create"),
    path("documentation-rate/", views.documentation_rate, name="documentation_rate"),
    path("me/banner/", views.banner_state, name="banner_state"),
    path("me/stream/", views.banner_stream, name="banner_stream"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/debrief/", views.job_debrief, name="job_debrief"),
    path("<slug:slug>/", views.machine_detail, name="detail"),
    path("<slug:slug>/edit/", views.machine_edit, name="edit"),
    path("<slug:slug>/token/", views.machine_token_rotate, name="token_rotate"),
    path("<slug:slug>/kiosk-link/", views.machine_kiosk_rotate, name="kiosk_rotate"),
    path("<slug:slug>/job/", views.job_here, name="job_here"),
    path("<slug:slug>/kiosk/", views.kiosk, name="kiosk"),
    path("<slug:slug>/kiosk/state/", views.kiosk_state, name="kiosk_state"),
    path("<slug:slug>/kiosk/stream/", views.kiosk_stream, name="kiosk_stream"),
]
