from django.db import migrations


def create_project_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    ProjectIndexPage = apps.get_model("projects.ProjectIndexPage")

    home = HomePage.objects.filter(depth=2).first()
    if home is None or ProjectIndexPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="projectindexpage", app_label="projects")
    # Treebeard paths: four characters a level; this is the home page's first child.
    ProjectIndexPage.objects.create(
        title="Projets",
        draft_title="Projets",
        slug="projects",
        content_type=content_type,
        path=f"{home.path}{home.numchild + 1:04d}",
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}projects/",
        locale_id=home.locale_id,
        intro="Tous les projets documentés par les membres, avec leurs essais et leurs erreurs.",
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


def remove_project_index(apps, schema_editor):
    apps.get_model("projects.ProjectIndexPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_initial"), ("home", "0002_create_homepage")]

    operations = [migrations.RunPython(create_project_index, remove_project_index)]
