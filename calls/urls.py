from django.urls import path

from . import views

app_name = "calls"

# Mounted under /calls/, before Wagtail's page routing, which serves /calls/ and each published
# call. "new", "mine", "organisations" and "applications" are reserved call slugs
# (calls.models.RESERVED_CALL_SLUGS).
urlpatterns = [
    path("new/", views.call_create, name="create"),
    path("mine/", views.my_calls, name="mine"),
    path("organisations/new/", views.organisation_request, name="organisation_request"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_member_add,
        name="organisation_member_add",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/remove/",
        views.organisation_member_remove,
        name="organisation_member_remove",
    ),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path(
        "applications/<int:pk>/<str:decision>/",
        views.application_decide,
        name="application_decide",
    ),
    path("<slug:slug>/preview/", views.call_preview, name="preview"),
    path("<slug:slug>/edit/", views.call_edit, name="edit"),
    path("<slug:slug>/submit/", views.call_submit, name="submit"),
    path("<slug:slug>/close/", views.call_close, name="close"),
    path("<slug:slug>/award/", views.call_award, name="award"),
    path("<slug:slug>/apply/", views.call_apply, name="apply"),
    path("<slug:slug>/applications/", views.call_applications, name="applications"),
]
