import string

from django.db import migrations


def _base36(number: int) -> str:
    # Wagtail's tree paths use base-36 steps of four characters.
    alphabet = string.digits + string.ascii_uppercase
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = alphabet[rest] + digits
    return digits or "0"


def create_knowledge_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    KnowledgeHomePage = apps.get_model("knowledge.KnowledgeHomePage")

    if KnowledgeHomePage.objects.exists():
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    # Wagtail's own migration seeds a placeholder "Welcome" page; the knowledge home replaces it.
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(
        app_label="knowledge", model="knowledgehomepage"
    )
    last = Page.objects.filter(depth=2).order_by("-path").first()
    position = int(last.path[-4:], 36) + 1 if last else 1
    suffix = _base36(position).rjust(4, "0")
    locale = Locale.objects.order_by("pk").first()
    home = KnowledgeHomePage.objects.create(
        title="Knowledge base",
        draft_title="Knowledge base",
        slug="kb",
        content_type=content_type,
        path=root.path + suffix,
        depth=2,
        numchild=0,
        url_path="/kb/",
        live=True,
        locale=locale,
        intro="<p>Answers our communities found together, curated by editors.</p>",
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        site.root_page_id = home.pk
        site.save(update_fields=["root_page"])
    else:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def remove_knowledge_home(apps, schema_editor):
    apps.get_model("knowledge.KnowledgeHomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_knowledge_home, remove_knowledge_home)]
