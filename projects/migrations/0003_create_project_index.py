from django.db import migrations

from core.migration_helpers import index_page_operation


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_initial"), ("home", "0002_create_homepage")]

    operations = [
        index_page_operation(
            "projects.ProjectIndexPage",
            title="Projets",
            slug="projects",
            intro=(
                "Tous les projets documentés par les membres, avec leurs essais et leurs "
                "erreurs."
            ),
        )
    ]
