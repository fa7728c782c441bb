"""Showcases are pages, edited in the page tree with preview; this registers the chooser their
items use to pick a public project."""

from wagtail import hooks

from .views import public_project_chooser_viewset


@hooks.register("register_admin_viewset")
def register_public_project_chooser():
    return public_project_chooser_viewset
