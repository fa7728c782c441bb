from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document


class CarnetDocument(AbstractDocument):
    """A file attached to a project (CAD, SVG, G-code, code…): it is as visible as its project,
    deleted with it (stored file too), and private to staff and its uploader without one."""

    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        # The media view finds a file's owner by its path.
        indexes = [models.Index(fields=["file"])]
