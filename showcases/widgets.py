"""The widget a showcase item picks its project with. It opens the chooser of public projects
(showcases/views.py, registered in wagtail_hooks.py) by the chooser's URL name, as Wagtail's own
image chooser widget does, so the models need not import the admin views."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser


class PublicProjectChooser(BaseChooser):
    model = "projects.ProjectPage"
    icon = "doc-full-inverse"
    choose_one_text = _("Choose a public project")
    choose_another_text = _("Choose another project")
    link_to_chosen_text = ChooserViewSet.edit_item_text
    chooser_modal_url_name = "public_project_chooser:choose"
