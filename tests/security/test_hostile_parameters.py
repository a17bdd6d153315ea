"""Finding 6: hostile GET parameters never give a 500.

Every URL pattern of `config.urls` is resolved with sample objects (a community with a thread,
a reply, a circle with meetings, a join request, an invitation, a review round and a
mentoring programme) and opened by staff, first plainly, recording which GET parameters the
view reads, then with every one of those and the common ones set to a NUL byte, 10,000
characters, invalid percent-encoded UTF-8 and control characters. The answer may be 400 or
anything else a person can act on, never a 500.
"""

import re
from contextlib import contextmanager

import pytest
from django.core.signals import got_request_exception
from django.http import QueryDict
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from communities.core.services.joining import create_invitation_link, signed_invitation
from communities.models import JoinRequest, Notification
from tests.browser.conftest import wagtail_tree
from tests.communities.factories import (
    Cast,
    UserFactory,
    make_circle,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db
# The Wagtail admin and the knowledge base need the page tree other tests may have flushed.
wagtail_tree = wagtail_tree

COMMON = ["q", "tag", "page", "sort", "member", "kind", "stage", "next"]
HOSTILE = {
    "nul": "a%00b",
    "long": "x" * 10_000,
    "bad-utf8": "%FF%FE%C3%28%ED%A0%80",
    "control": "%01%07%08%0A%0D%1B%7F%C2%85%E2%80%AE%E2%80%A8",
}
# Patterns that can't be reversed from a name and sample keywords (unnamed, or with
# positional groups); each is opened at a sample address instead.
UNNAMED = {
    "django-admin/": "/django-admin/communities/community/{community}/",
    "cms/": "/cms/no-such-page/",
    "kb/_util/login/": "/kb/_util/login/",
    "^media/": "/media/nothing-here.txt",
    "documents/^": "/documents/1/nothing.pdf",
    "kb/^": "/kb/",
}


def _patterns(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            space = pattern.namespace or namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, list(pattern.pattern.regex.groupindex)


class World:
    """One sample object of every kind a URL names, built through the factories."""

    def __init__(self):
        from tests.feedback.factories import story
        from tests.mentoring.factories import MentoringCast

        self.cast = cast = Cast()
        self.staff = UserFactory(is_staff=True, is_superuser=True)
        self.thread = make_thread(author=cast.member, community=cast.community)
        self.post = make_reply(author=cast.other_member, thread=self.thread, body="Hi @x")
        self.circle = make_circle(cast.community, members=4)
        self.join_request = JoinRequest.objects.filter(community=cast.community).first()
        self.invitation = create_invitation_link(
            actor=cast.manager, community=cast.community, expires_in_days=7, max_uses=5
        )
        self.review = story(2)
        self.mentoring = MentoringCast()
        self.notification = Notification.objects.first()

    def pk_for(self, name: str) -> int:
        review, mentoring = self.review, self.mentoring
        table = [
            ("communities:join-request", self.join_request.pk),
            ("communities:invitation", self.invitation.pk),
            ("communities:notification", self.notification.pk if self.notification else 1),
            ("communities:", self.thread.pk),
            ("feedback:rubric", review.round.rubric_id),
            ("feedback:submission", review.submission_of(review.authors[0]).pk),
            ("feedback:round", review.round.pk),
            ("feedback:submit", review.round.pk),
            ("feedback:calibration", review.round.pk),
            ("mentoring:pairing", mentoring.pairing.pk),
            ("mentoring:goal", mentoring.pairing.pk),
            ("mentoring:session", mentoring.pairing.pk),
            ("mentoring:", mentoring.programme.pk),
        ]
        return next((pk for prefix, pk in table if name.startswith(prefix)), 1)

    def admin_object(self, name: str) -> str:
        from django.apps import apps

        found = re.match(r"admin:(\w+?)_(\w+)_(change|delete|history|permissions)", name or "")
        if not found:
            return "1"
        try:
            model = apps.get_model(found.group(1), found.group(2))
        except LookupError:
            return "1"
        first = model._default_manager.order_by("pk").first()
        return str(first.pk) if first else "1"

    def kwargs(self, name: str, groups: list[str]) -> dict:
        from wagtail.models import Page

        samples = {
            "slug": self.cast.community.slug,
            "circle_slug": self.circle.slug,
            "sequence": 1,
            "username": self.cast.member.username,
            "post_pk": self.post.pk,
            "thread_id": self.thread.pk,
            "user_id": self.cast.member.pk,
            "signed": signed_invitation(self.invitation),
            "name": "facilitation",
            "page_id": Page.objects.order_by("-pk").first().pk,
            "mentor_pk": self.mentoring.pairing.mentor_id,
            "pairing_pk": self.mentoring.proposal.pk,
            "goal_pk": self.mentoring.goal.pk,
            "action": "approve",
            "object_id": self.admin_object(name),
            "object_pk": str(self.cast.community.pk),
            "content_type_id": "1",
            "pk": self.pk_for(name),
        }
        return {group: samples.get(group, "1") for group in groups}


def url_for(world: World, route: str, name: str | None, groups: list[str]) -> str | None:
    if name:
        kwargs = world.kwargs(name, groups)
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            try:
                return reverse(name, args=list(kwargs.values()))
            except NoReverseMatch:
                pass
    for prefix, sample in UNNAMED.items():
        if route.startswith(prefix):
            return sample.format(community=world.cast.community.pk)
    return None


@contextmanager
def recording_reads():
    """Record the keys any QueryDict (GET and POST of a request) is asked for while the
    block runs."""
    keys: set[str] = set()
    originals = {
        attr: getattr(QueryDict, attr) for attr in ("__getitem__", "get", "getlist", "__contains__")
    }

    def spy(attr):
        original = originals[attr]

        def read(self, key, *args, **kwargs):
            if isinstance(key, str):
                keys.add(key)
            return original(self, key, *args, **kwargs)

        return read

    for attr in originals:
        setattr(QueryDict, attr, spy(attr))
    try:
        yield keys
    finally:
        for attr, original in originals.items():
            setattr(QueryDict, attr, original)


# Wagtail's page that raises on purpose, to test error reporting.
DELIBERATE_ERRORS = {"/cms/failwhale/"}


def test_no_get_parameter_gives_a_500_anywhere(settings, wagtail_tree):
    settings.TRELLIS_MFA_REQUIRED_FOR_POWERS = False
    world = World()
    errors: list[str] = []

    def remember(sender, request=None, **kwargs):
        import sys

        errors.append(repr(sys.exc_info()[1])[:200])

    got_request_exception.connect(remember)
    client = Client(raise_request_exception=False)
    client.force_login(world.staff)
    failures, unreachable, opened = [], [], 0
    for route, name, groups in _patterns():
        url = url_for(world, route, name, groups)
        if url in DELIBERATE_ERRORS:
            continue
        if url is None:
            unreachable.append(route)
            continue
        with recording_reads() as read:
            response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url} (plain) {response.status_code} {errors[-1:]}")
            continue
        opened += 1
        keys = sorted(set(COMMON) | {key for key in read if re.fullmatch(r"[\w.-]{1,40}", key)})
        for label, value in HOSTILE.items():
            query = "&".join(f"{key}={value}" for key in keys)
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append(f"{url} {label} {keys} {response.status_code} {errors[-1:]}")
    got_request_exception.disconnect(remember)
    assert not failures, "\n".join(failures)
    assert not unreachable, f"no sample address for {unreachable}"
    assert opened > 300
