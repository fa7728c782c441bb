from django.db import migrations

from core.migration_helpers import index_page_operation


class Migration(migrations.Migration):
    dependencies = [
        ("showcases", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("calls", "0002_create_call_index_and_moderation"),
    ]

    operations = [
        index_page_operation(
            "showcases.ShowcaseIndexPage",
            title="Vitrines",
            slug="showcases",
            intro=(
                "Des projets choisis par l'équipe du lab, autour d'un thème : de quoi trouver "
                "l'inspiration, et voir comment les autres s'y sont pris."
            ),
        )
    ]
