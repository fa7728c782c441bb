from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Machine(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        LASER_CUTTER = "laser_cutter", _("Laser cutter")
        PRINTER_3D = "3d_printer", _("3D printer")
        CNC_MILL = "cnc_mill", _("CNC mill")
        VINYL_CUTTER = "vinyl_cutter", _("Vinyl cutter")
        EMBROIDERY = "embroidery", _("Embroidery machine")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    location = models.CharField(_("location"), max_length=120, blank=True)
    photo = models.ForeignKey(
        "images.CarnetImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("location"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("machine")
        verbose_name_plural = _("machines")

    def __str__(self):
        return self.name


class Material(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.CharField(
        _("description"), max_length=255, blank=True, help_text=_("Thickness, supplier, tips…")
    )

    panels = [FieldPanel("name"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.name
