"""The "Knowledge editors" group and the "Editor review" workflow on the knowledge home."""

from django.db import migrations

GROUP_NAME = "Knowledge editors"
WORKFLOW_NAME = "Editor review"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def create_editors_and_workflow(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    KnowledgeHomePage = apps.get_model("knowledge.KnowledgeHomePage")

    editors, _ = Group.objects.get_or_create(name=GROUP_NAME)
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    editors.permissions.add(access_admin)
    image_type, _ = ContentType.objects.get_or_create(app_label="wagtailimages", model="image")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()
    for codename in ("add_image", "choose_image"):
        permission, _ = Permission.objects.get_or_create(
            content_type=image_type, codename=codename, defaults={"name": f"Can {codename}"}
        )
        if root_collection:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root_collection, permission=permission
            )

    home = KnowledgeHomePage.objects.first()
    if home is None:
        return
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for codename in PAGE_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=page_type, codename=codename, defaults={"name": f"Can {codename}"}
        )
        GroupPagePermission.objects.get_or_create(
            group=editors, page_id=home.pk, permission=permission
        )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=WORKFLOW_NAME, content_type=task_type, active=True
        )
    task.groups.add(editors)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})


def remove_editors_and_workflow(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("auth.Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0003_articles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_editors_and_workflow, remove_editors_and_workflow)]
