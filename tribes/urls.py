from django.urls import path

from . import views

app_name = "tribes"

# Mounted under /tribes/, before Wagtail's page routing, which serves /tribes/ and each tribe
# page. "new" and "invitations" are reserved tribe slugs (tribes.services.RESERVED_TRIBE_SLUGS).
urlpatterns = [
    path("new/", views.tribe_create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/edit/", views.tribe_edit, name="edit"),
    path("<slug:slug>/join/", views.tribe_join, name="join"),
    path("<slug:slug>/leave/", views.tribe_leave, name="leave"),
    path("<slug:slug>/decline/", views.tribe_invitation_decline, name="decline"),
    path("<slug:slug>/members/", views.tribe_members_manage, name="members"),
    path("<slug:slug>/members/invite/", views.tribe_member_invite, name="invite"),
    path("<slug:slug>/members/links/", views.tribe_invitation_link_create, name="link_create"),
    path(
        "<slug:slug>/members/invitations/<int:pk>/revoke/",
        views.tribe_invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/members/<int:pk>/accept/", views.tribe_request_accept, name="accept"),
    path("<slug:slug>/members/<int:pk>/refuse/", views.tribe_request_refuse, name="refuse"),
    path("<slug:slug>/members/<int:pk>/role/", views.tribe_member_role_set, name="role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.tribe_member_remove, name="remove"),
]
