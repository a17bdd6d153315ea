"""`{% url %}` and the thread page's links reverse through `remembered_reverse`: the same URL
as `reverse()` for every name and argument, under any URLconf and script prefix."""

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.urls import NoReverseMatch, path, reverse, set_script_prefix
from django.utils.safestring import mark_safe

from communities.core import links
from communities.core.links import remembered_reverse
from tests.communities.factories import make_thread

pytestmark = pytest.mark.django_db

# A URLconf of its own, where "home" is somewhere else.
urlpatterns = [path("elsewhere/", lambda request: HttpResponse(), name="home")]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("home", ()),
        ("communities:community-list", ()),
        ("communities:community-detail", ("garden-club",)),
        ("communities:thread-detail", ("garden-club", 7)),
        ("communities:thread-detail", ("garden-club", "7")),
        ("communities:profile-detail", ("ada.l@x",)),
    ],
)
def test_it_gives_what_reverse_gives(name, args):
    assert remembered_reverse(name, args) == reverse(name, args=args)
    assert remembered_reverse(name, args) == reverse(name, args=args)  # and when remembered


def test_keyword_arguments_and_other_kinds_of_values_reverse_as_reverse_does(cast):
    thread = make_thread(author=cast.member, community=cast.community)
    kwargs = {"slug": cast.community.slug, "pk": thread.pk}
    assert remembered_reverse("communities:thread-detail", kwargs=kwargs) == reverse(
        "communities:thread-detail", kwargs=kwargs
    )
    # Not remembered (only strings and ints are), still reversed.
    slug = type("Slug", (), {"__str__": lambda self: cast.community.slug})()
    assert remembered_reverse("communities:community-detail", [slug]) == reverse(
        "communities:community-detail", args=[slug]
    )


def test_the_url_tag_reverses_each_name_and_arguments_once(monkeypatch):
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return reverse(*args, **kwargs)

    monkeypatch.setattr(links, "reverse", counted)
    # Template literals and variables come as SafeStrings: remembered as the plain strings.
    template = Template("{% url 'communities:community-detail' slug %}")
    for _ in range(3):
        assert template.render(Context({"slug": mark_safe("only-once")})) == reverse(
            "communities:community-detail", args=["only-once"]
        )
    assert len(calls) == 1


def test_a_name_that_does_not_reverse_still_fails_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            remembered_reverse("communities:no-such-page")


def test_the_script_prefix_and_the_urlconf_are_part_of_the_url(settings):
    plain = remembered_reverse("home")
    set_script_prefix("/trellis/")
    try:
        assert remembered_reverse("home") == "/trellis" + plain == reverse("home")
    finally:
        set_script_prefix("/")
    settings.ROOT_URLCONF = __name__  # this module's `urlpatterns`
    assert remembered_reverse("home") == "/elsewhere/" == reverse("home")


def test_the_url_tag_escapes_assigns_and_fails_as_djangos_does():
    rendered = Template(
        "{% url 'communities:profile-detail' name %}|"
        "{% url 'communities:no-such-page' as missing %}[{{ missing }}]|"
        "{% url 'communities:profile-detail' name as link %}{{ link }}"
    ).render(Context({"name": "a&b"}))
    link = reverse("communities:profile-detail", args=["a&b"])
    assert rendered == f"{link.replace('&', '&amp;')}|[]|{link.replace('&', '&amp;')}"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'communities:no-such-page' %}").render(Context())
