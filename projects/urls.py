from django.urls import path

from . import views

app_name = "projects"

# Mounted under /projects/, before Wagtail's page routing; "new" is a reserved project slug.
urlpatterns = [
    path("new/", views.project_create, name="create"),
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/edit/<slug:section>/", views.project_edit_section, name="edit_section"),
    path("<slug:slug>/steps/add/", views.step_edit, name="step_add"),
    path("<slug:slug>/steps/<str:step_id>/", views.step_edit, name="step_edit"),
    path("<slug:slug>/steps/<str:step_id>/delete/", views.step_delete, name="step_delete"),
    path("<slug:slug>/steps/<str:step_id>/move/", views.step_move, name="step_move"),
    path("<slug:slug>/bill-of-materials/", views.bill_of_materials_edit, name="bill_of_materials"),
    path("<slug:slug>/files/add/", views.file_add, name="file_add"),
    path("<slug:slug>/files/<str:block_id>/remove/", views.file_remove, name="file_remove"),
    path("<slug:slug>/journal/new/", views.journal_entry_edit, name="journal_entry_add"),
    path("<slug:slug>/journal/<int:pk>/", views.journal_entry_detail, name="journal_entry"),
    path("<slug:slug>/journal/<int:pk>/edit/", views.journal_entry_edit, name="journal_entry_edit"),
    path(
        "<slug:slug>/journal/<int:pk>/delete/",
        views.journal_entry_delete,
        name="journal_entry_delete",
    ),
    path("<slug:slug>/preview/", views.project_preview, name="preview"),
    path("<slug:slug>/publish/", views.project_publish, name="publish"),
    path("<slug:slug>/unpublish/", views.project_unpublish, name="unpublish"),
    path("<slug:slug>/history/", views.project_history, name="history"),
    path("<slug:slug>/export.md", views.project_export_markdown, name="export_markdown"),
]
