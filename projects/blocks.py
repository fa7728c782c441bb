from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from core.markdown import MAX_LENGTH_MEDIUM, MarkdownValidator

STEP_BODY_MAX_LENGTH = MAX_LENGTH_MEDIUM


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    # The length is the block's max_length, so the admin counts it; the validator checks the shape.
    body = blocks.TextBlock(
        label=_("What to do (Markdown)"),
        required=False,
        max_length=STEP_BODY_MAX_LENGTH,
        validators=[MarkdownValidator()],
    )
    photos = blocks.ListBlock(ImageChooserBlock(), label=_("Photos"), default=[])

    class Meta:
        icon = "list-ol"
        label = _("Step")
        template = "projects/blocks/step_block.html"
        description = _("One realisation step: a title, instructions in Markdown and photos.")
        preview_value = {
            "title": "Découper les faces",
            "body": "Contreplaqué 3 mm, 60 % / 20 mm/s.",
        }


class BillOfMaterialsItemBlock(blocks.StructBlock):
    item = blocks.CharBlock(label=_("Item"), max_length=200)
    quantity = blocks.DecimalBlock(label=_("Quantity"), min_value=0, decimal_places=3, default=1)
    unit = blocks.CharBlock(label=_("Unit"), max_length=30, required=False)
    supplier = blocks.CharBlock(label=_("Supplier"), max_length=200, required=False)
    link = blocks.URLBlock(label=_("Link"), required=False)
    unit_cost = blocks.DecimalBlock(
        label=_("Unit cost (€)"), min_value=0, decimal_places=2, required=False
    )

    class Meta:
        icon = "list-ul"
        label = _("Bill of materials row")
        template = "projects/blocks/bill_of_materials_item_block.html"
        description = _("One line of the bill of materials.")
        preview_value = {
            "item": "Contreplaqué peuplier 3 mm",
            "quantity": "2",
            "unit": "plaque",
            "unit_cost": "4.50",
        }


def bill_of_materials_row_total(value) -> Decimal | None:
    if value.get("unit_cost") is None or value.get("quantity") is None:
        return None
    return (Decimal(value["quantity"]) * Decimal(value["unit_cost"])).quantize(Decimal("0.01"))


class ProjectFileBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    description = blocks.CharBlock(label=_("Description"), max_length=255, required=False)

    class Meta:
        icon = "doc-full"
        label = _("File")
        template = "projects/blocks/project_file_block.html"
        description = _("A design, fabrication file, code or document to download.")
        preview_value = {"description": "Plan de découpe (SVG)"}
