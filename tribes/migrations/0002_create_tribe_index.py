from django.db import migrations


def create_tribe_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    TribeIndexPage = apps.get_model("tribes.TribeIndexPage")

    home = HomePage.objects.filter(depth=2).first()
    if home is None or TribeIndexPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="tribeindexpage", app_label="tribes")
    last_child = Page.objects.filter(depth=home.depth + 1, path__startswith=home.path).order_by("-path").first()
    # Treebeard paths: four base-36 characters a level; take the next one after the last child.
    next_step = int(last_child.path[-4:], 36) + 1 if last_child else 1
    TribeIndexPage.objects.create(
        title="Tribus",
        draft_title="Tribus",
        slug="tribes",
        content_type=content_type,
        path=f"{home.path}{_base36(next_step):0>4}",
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}tribes/",
        locale_id=home.locale_id,
        intro="Les membres se regroupent par lab ou par passion : rejoignez une tribu, partagez-y vos projets.",
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


def remove_tribe_index(apps, schema_editor):
    apps.get_model("tribes.TribeIndexPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tribes", "0001_initial"), ("projects", "0003_create_project_index")]

    operations = [migrations.RunPython(create_tribe_index, remove_tribe_index)]
