from django.db import migrations

from core.migration_helpers import index_page_operation


class Migration(migrations.Migration):
    dependencies = [("tribes", "0001_initial"), ("projects", "0003_create_project_index")]

    operations = [
        index_page_operation(
            "tribes.TribeIndexPage",
            title="Tribus",
            slug="tribes",
            intro=(
                "Les membres se regroupent par lab ou par passion : rejoignez une tribu, "
                "partagez-y vos projets."
            ),
        )
    ]
