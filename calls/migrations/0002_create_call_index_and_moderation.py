"""The call index at /calls/, and the staff's moderation of calls: a workflow with one group
approval task for the Moderators group, assigned to the call index (so to every call)."""

from django.db import migrations

WORKFLOW_NAME = "Modération des appels à projets"
TASK_NAME = "Validation par la modération"


def create_call_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    CallIndexPage = apps.get_model("calls.CallIndexPage")

    home = HomePage.objects.filter(depth=2).first()
    if home is None or CallIndexPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="callindexpage", app_label="calls")
    last_child = (
        Page.objects.filter(depth=home.depth + 1, path__startswith=home.path)
        .order_by("-path")
        .first()
    )
    # Treebeard paths: four base-36 characters a level; take the next one after the last child.
    next_step = int(last_child.path[-4:], 36) + 1 if last_child else 1
    index = CallIndexPage.objects.create(
        title="Appels à projets",
        draft_title="Appels à projets",
        slug="calls",
        content_type=content_type,
        path=f"{home.path}{_base36(next_step):0>4}",
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}calls/",
        locale_id=home.locale_id,
        intro=(
            "Des entreprises, des associations et des collectivités cherchent des makers : "
            "répondez avec vos projets documentés."
        ),
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
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


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if number == 0:
            return text


def remove_call_index(apps, schema_editor):
    apps.get_model("wagtailcore.WorkflowPage").objects.filter(
        workflow__name=WORKFLOW_NAME
    ).delete()
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name=TASK_NAME).delete()
    apps.get_model("calls.CallIndexPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("tribes", "0002_create_tribe_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_call_index, remove_call_index)]
