from wagtail.fields import RichTextField
from wagtail.models import Page


class KnowledgeHomePage(Page):
    """The root of the knowledge base, served at /kb/."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, "intro"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "knowledge home"
