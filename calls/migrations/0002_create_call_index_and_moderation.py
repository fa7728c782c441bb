"""The call index at /calls/, and the staff's moderation of calls: a workflow with one group
approval task for the Moderators group, assigned to the call index (so to every call)."""

from django.db import migrations

from core.migration_helpers import create_index_page, remove_index_pages

WORKFLOW_NAME = "Modération des appels à projets"
TASK_NAME = "Validation par la modération"


def create_call_index(apps, schema_editor):
    index = create_index_page(
        apps,
        "calls.CallIndexPage",
        title="Appels à projets",
        slug="calls",
        intro=(
            "Des entreprises, des associations et des collectivités cherchent des makers : "
            "répondez avec vos projets documentés."
        ),
    )
    if index is not None:
        _create_moderation(apps, index)


def _create_moderation(apps, index):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    task_type, _ = ContentType.objects.get_or_create(
        model="groupapprovaltask", app_label="wagtailcore"
    )
    task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})


def remove_call_index(apps, schema_editor):
    apps.get_model("wagtailcore.WorkflowPage").objects.filter(workflow__name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name=TASK_NAME).delete()
    remove_index_pages(apps, "calls.CallIndexPage")


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("tribes", "0002_create_tribe_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_call_index, remove_call_index)]
