"""One form submission creates one thing: a double click, a resent form or two tabs posting
the same form at once create one thread, reply, circle or community, and the second POST
lands on the first one's page."""

import datetime as dt
import re
import threading

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.core.forms.submissions import blank_form_fields
from communities.core.services.submissions import forget_old_submissions
from communities.discussions.forms.threads import ReplyForm
from communities.discussions.services.posts import reply
from communities.discussions.services.threads import start_thread
from communities.models import Circle, Community, FormSubmission, Post, Thread
from communities.tasks import forget_old_form_submissions
from tests.communities.factories import Cast, UserFactory, circle_fields, make_thread

TOKEN_FIELD = re.compile(r'name="submission_token" value="([^"]+)"')


def token_on(client, url: str) -> str:
    found = TOKEN_FIELD.findall(client.get(url).content.decode())
    assert found, f"the form at {url} carries a submission token"
    return found[-1]


@pytest.mark.django_db
def test_each_form_render_has_its_own_token(client, cast):
    client.force_login(cast.member)
    url = reverse("communities:thread-create", args=[cast.community.slug])
    assert token_on(client, url) != token_on(client, url)


@pytest.mark.django_db
def test_posting_the_new_thread_form_twice_creates_one_thread(client, cast):
    client.force_login(cast.member)
    url = reverse("communities:thread-create", args=[cast.community.slug])
    data = {
        "kind": "discussion",
        "title": "Pairing on retros",
        "body": "Who has tried it?",
        "tag_names": "",
        "submission_token": token_on(client, url),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert Thread.objects.filter(title="Pairing on retros").count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    # A new render of the form is a new submission.
    client.post(url, {**data, "submission_token": token_on(client, url)})
    assert Thread.objects.filter(title="Pairing on retros").count() == 2


@pytest.mark.django_db
def test_posting_a_reply_twice_creates_one_reply(client, cast):
    thread = make_thread(author=cast.moderator, community=cast.community)
    client.force_login(cast.member)
    url = reverse("communities:thread-detail", args=[cast.community.slug, thread.pk])
    data = {"body": "Same words, sent twice.", "submission_token": token_on(client, url)}
    first = client.post(url, data)
    second = client.post(url, data)
    assert Post.objects.filter(thread=thread).count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


@pytest.mark.django_db
def test_proposing_a_circle_twice_creates_one_circle(client, cast):
    client.force_login(cast.member)
    url = reverse("communities:circle-create", args=[cast.community.slug])
    fields = circle_fields()
    data = {
        **fields,
        "timezone": fields.pop("timezone_name"),
        "time_of_day": "18:30",
        "duration_minutes": 60,
        "submission_token": token_on(client, url),
    }
    data.pop("timezone_name", None)
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302
    assert Circle.objects.filter(community=cast.community).count() == 1
    assert second["Location"] == first["Location"]


@pytest.mark.django_db
def test_starting_a_community_twice_creates_one_community(client):
    creator = UserFactory()
    client.force_login(creator)
    url = reverse("communities:community-create")
    data = {
        "name": "Ward educators",
        "slug": "ward-educators",
        "purpose": "Teach on the ward, better.",
        "kind": "learning",
        "visibility": "open",
        "submission_token": token_on(client, url),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Community.objects.filter(created_by=creator).count() == 1


def _at_once(action, times: int = 2) -> tuple[list, list]:
    """Run `action` in `times` threads released together; their results and errors."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(action())
        except Exception as error:  # surfaced by the callers' assertions
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(times)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_thread_form_create_one_thread():
    cast = Cast()

    def post_form():
        return start_thread(
            author=cast.member,
            community=cast.community,
            kind="discussion",
            title="Sent twice at once",
            body="Double click.",
            submission_token="same-form-render",
        )

    results, errors = _at_once(post_form)
    assert not errors
    assert Thread.objects.filter(title="Sent twice at once").count() == 1
    assert {thread.pk for thread in results} == {Thread.objects.get(title="Sent twice at once").pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_reply_form_create_one_reply():
    cast = Cast()
    thread = make_thread(author=cast.moderator, community=cast.community)

    def post_form():
        return reply(
            author=cast.member, thread=thread, body="Only once.", submission_token="same-render"
        )

    results, errors = _at_once(post_form)
    assert not errors
    assert Post.objects.filter(thread=thread).count() == 1
    assert {post.pk for post in results} == {Post.objects.get(thread=thread).pk}


@pytest.mark.django_db
def test_the_daily_job_forgets_claims_older_than_the_setting_and_keeps_newer_ones(
    settings, django_assert_num_queries
):
    settings.TRELLIS_FORM_SUBMISSION_DAYS = 7
    user = UserFactory()
    now = timezone.now()
    for n in range(5):
        FormSubmission.objects.create(
            user=user, token=f"old{n}", attempt="a", created_at=now - dt.timedelta(days=8)
        )
    FormSubmission.objects.create(
        user=user, token="recent", attempt="a", created_at=now - dt.timedelta(days=6)
    )
    assert forget_old_form_submissions.delay().get() == 5
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["recent"]
    # Run again: nothing more to do.
    assert forget_old_form_submissions.delay().get() == 0


@pytest.mark.django_db
def test_forgetting_claims_takes_the_same_queries_per_batch_whatever_the_size():

    user = UserFactory()
    counts = []
    for size in (5, 50):
        old = timezone.now() - dt.timedelta(days=30)
        FormSubmission.objects.bulk_create(
            FormSubmission(user=user, token=f"t{size}-{n}", attempt="a", created_at=old)
            for n in range(size)
        )
        with CaptureQueriesContext(connection) as queries:
            assert forget_old_submissions(older_than_days=7, batch_size=100) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_thread_pages_reply_form_is_the_forms_own_markup_with_a_new_token_each_time(
    client, cast
):
    """The reply form's fields are rendered once per process (`blank_form_fields`): the same
    markup as rendering the form, with a token of its own on every page."""
    thread = make_thread(author=cast.member, community=cast.community)
    url = reverse("communities:thread-detail", args=[cast.community.slug, thread.pk])
    client.force_login(cast.other_member)
    first, second = (client.get(url).content.decode() for _ in range(2))
    tokens = [TOKEN_FIELD.findall(page)[-1] for page in (first, second)]
    assert tokens[0] != tokens[1]
    fields = blank_form_fields(ReplyForm)
    token = TOKEN_FIELD.findall(fields)[0]
    fresh = render_to_string(
        "components/form.html", {"form": ReplyForm(initial={"submission_token": token})}
    )
    assert fields == fresh
    assert fresh.replace(token, tokens[0]) in first
    assert TOKEN_FIELD.findall(blank_form_fields(ReplyForm))[0] != token
