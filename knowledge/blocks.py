"""The blocks an article body is written in. Rich text goes through Wagtail's own sanitising."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "code", "blockquote", "h3", "h4"]
LANGUAGES = [
    ("text", "Plain text"),
    ("python", "Python"),
    ("javascript", "JavaScript"),
    ("shell", "Shell"),
    ("sql", "SQL"),
    ("html", "HTML"),
]


class LocalLinkBlock(blocks.CharBlock):
    """A link back into Trellis (a thread or a reply): a path, never a script URL."""

    def clean(self, value):
        value = super().clean(value)
        if value and not (value.startswith("/") and not value.startswith("//")):
            raise ValidationError("Link to a page of this site, starting with “/”.")
        return value


class StepsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(
            blocks.StructBlock(
                [
                    ("title", blocks.CharBlock(max_length=200)),
                    ("text", blocks.RichTextBlock(features=TEXT_FEATURES, required=False)),
                ]
            ),
            template="knowledge/blocks/steps.html",
            **kwargs,
        )


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=LANGUAGES, default="text")
    code = blocks.TextBlock()

    class Meta:
        icon = "code"
        template = "knowledge/blocks/code.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "knowledge/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[("info", "Note"), ("tip", "Tip"), ("warning", "Warning")], default="info"
    )
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "knowledge/blocks/callout.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "knowledge/blocks/image.html"


class ExcerptBlock(blocks.StructBlock):
    """A post quoted "from the conversation", linking back to it. `author_name` stays empty
    for anonymous askers and in Chatham House communities."""

    role = blocks.ChoiceBlock(
        choices=[
            ("question", "The question"),
            ("accepted", "Accepted answer"),
            ("verified", "Verified answer"),
            ("answer", "Answer"),
            ("notes", "Meeting notes"),
        ],
        default="answer",
    )
    text = blocks.RichTextBlock(features=TEXT_FEATURES)
    author_name = blocks.CharBlock(required=False, max_length=120)
    link = LocalLinkBlock(required=False, max_length=300)

    class Meta:
        icon = "group"
        label = "From the thread"
        template = "knowledge/blocks/excerpt.html"


class ArticleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=TEXT_FEATURES, template="knowledge/blocks/text.html")
    steps = StepsBlock()
    code = CodeBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    image = ImageBlock()
    excerpt = ExcerptBlock()
