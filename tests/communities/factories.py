import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from communities.core.models.communities import CommunityKind, Visibility
from communities.models import Community, Tag, User

PASSWORD = "a-Strong-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
        if create:
            obj.save(update_fields=["password"])


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"topic-{n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    purpose = "Practitioners helping each other get better at the craft."
    audience = "Anyone who practises it."
    guidelines = "Be kind. Assume good intent. Share what you learn."
    kind = CommunityKind.PRACTICE
    visibility = Visibility.OPEN


# The helpers other apps' tests build communities with; keep these names importable here.
_HELPERS = {
    "add_member": "tests.communities.factories_communities",
    "manager_of": "tests.communities.factories_communities",
    "new_community": "tests.communities.factories_communities",
    "make_reply": "tests.communities.factories_discussions",
    "make_thread": "tests.communities.factories_discussions",
}


def __getattr__(name):
    # Lazy, because those modules import the factories above.
    if name in _HELPERS:
        import importlib

        return getattr(importlib.import_module(_HELPERS[name]), name)
    raise AttributeError(name)
