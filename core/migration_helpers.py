"""What the data migrations that create a section's index page share (projects, tribes, calls,
showcases): the page is made by hand, as historical models have no tree methods."""

from django.db import migrations


def index_page_operation(model_label: str, *, title: str, slug: str, intro: str):
    """The migration operation that creates the index page (create_index_page), and removes it
    when the migration is unapplied."""

    def create(apps, schema_editor):
        create_index_page(apps, model_label, title=title, slug=slug, intro=intro)

    def remove(apps, schema_editor):
        remove_index_pages(apps, model_label)

    return migrations.RunPython(create, remove)


def create_index_page(apps, model_label: str, *, title: str, slug: str, intro: str):
    """Create the `model_label` page ("projects.ProjectIndexPage") as the home page's next
    child and return it; None when there is no home page yet or the index exists."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    IndexPage = apps.get_model(model_label)

    home = HomePage.objects.filter(depth=2).first()
    if home is None or IndexPage.objects.exists():
        return None
    content_type, _ = ContentType.objects.get_or_create(
        app_label=IndexPage._meta.app_label, model=IndexPage._meta.model_name
    )
    last_child = (
        Page.objects.filter(depth=home.depth + 1, path__startswith=home.path)
        .order_by("-path")
        .first()
    )
    # Treebeard paths: four base-36 characters a level; take the next one after the last child.
    next_step = int(last_child.path[-4:], 36) + 1 if last_child else 1
    index = IndexPage.objects.create(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=content_type,
        path=f"{home.path}{_base36(next_step):0>4}",
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{slug}/",
        locale_id=home.locale_id,
        intro=intro,
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    return index


def remove_index_pages(apps, model_label: str) -> None:
    apps.get_model(model_label).objects.all().delete()


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if number == 0:
            return text
