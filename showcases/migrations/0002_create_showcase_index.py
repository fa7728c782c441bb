from django.db import migrations


def create_showcase_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    ShowcaseIndexPage = apps.get_model("showcases.ShowcaseIndexPage")

    home = HomePage.objects.filter(depth=2).first()
    if home is None or ShowcaseIndexPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(
        model="showcaseindexpage", app_label="showcases"
    )
    last_child = (
        Page.objects.filter(depth=home.depth + 1, path__startswith=home.path)
        .order_by("-path")
        .first()
    )
    # Treebeard paths: four base-36 characters a level; take the next one after the last child.
    next_step = int(last_child.path[-4:], 36) + 1 if last_child else 1
    ShowcaseIndexPage.objects.create(
        title="Vitrines",
        draft_title="Vitrines",
        slug="showcases",
        content_type=content_type,
        path=f"{home.path}{_base36(next_step):0>4}",
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}showcases/",
        locale_id=home.locale_id,
        intro=(
            "Des projets choisis par l'équipe du lab, autour d'un thème : de quoi trouver "
            "l'inspiration, et voir comment les autres s'y sont pris."
        ),
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if number == 0:
            return text


def remove_showcase_index(apps, schema_editor):
    apps.get_model("showcases.ShowcaseIndexPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("showcases", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("calls", "0002_create_call_index_and_moderation"),
    ]

    operations = [migrations.RunPython(create_showcase_index, remove_showcase_index)]
