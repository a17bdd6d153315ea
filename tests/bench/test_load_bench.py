"""Requests per second under load on PostgreSQL: gunicorn driven by wrk, against a bare view.

Run with `make bench` (needs PostgreSQL through DATABASE_URL and `wrk`). Prints, for each page
(home, the 50-reply thread page, the thread list at 10,000 and 100 threads, search over the
10,000 threads), its requests per second, p50/p99 and the ratio to a bare Django view measured
in the same run.
"""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.discussions.rendering import body_html
from communities.discussions.services import counters
from communities.models import Post, Thread
from tests.bench import load
from tests.communities.factories import add_member, new_community

pytestmark = [
    pytest.mark.bench,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

WORDS = [
    "facilitation",
    "retrospective",
    "onboarding",
    "agenda",
    "timebox",
    "feedback",
    "circle",
    "cadence",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _threads(community, author, count: int, rng) -> list[Thread]:
    now = timezone.now()
    return Thread.objects.bulk_create(
        (
            Thread(
                community=community,
                author=author,
                kind="question" if n % 2 else "discussion",
                title=_text(rng, 6).capitalize(),
                body=(body := _text(rng, 60)),
                body_html=body_html(body),
                last_activity_at=now - timezone.timedelta(minutes=n),
                created_at=now - timezone.timedelta(minutes=n),
            )
            for n in range(count)
        ),
        batch_size=2000,
    )


def _replies(thread, authors, count: int, rng) -> None:
    Post.objects.bulk_create(
        (
            Post(
                thread=thread,
                author=authors[n % len(authors)],
                body=(body := _text(rng, 40)),
                body_html=body_html(body),
            )
            for n in range(count)
        ),
        batch_size=2000,
    )


def test_pages_under_load(settings):
    if problem := load.wrk_problem():
        pytest.skip(problem)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(7)
    big = new_community(name="Big community", slug="big")
    small = new_community(name="Small community", slug="small")
    viewer = add_member(big)
    add_member(small, viewer)
    authors = [add_member(big) for _ in range(10)]
    _threads(big, authors[0], 10_000, rng)
    _threads(small, authors[0], 100, rng)
    page_thread = Thread.objects.filter(community=big).order_by("-last_activity_at").first()
    _replies(page_thread, authors, 50, rng)
    counters.recount([page_thread.pk])  # bulk_create bypasses the services that keep them
    cookie = load.session_cookie(viewer)

    pages = {
        "home": (reverse("home"), ""),
        "thread_page": (
            reverse("communities:thread-detail", args=[big.slug, page_thread.pk]),
            cookie,
        ),
        "thread_list_10000": (reverse("communities:thread-list", args=[big.slug]), cookie),
        "thread_list_100": (reverse("communities:thread-list", args=[small.slug]), cookie),
        "search": (f"{reverse('communities:search')}?q=facilitation+retrospective", cookie),
    }
    with load.gunicorn() as base:
        for name, (path, with_cookie) in pages.items():
            bare, page, ratio = load.compare(base, path, cookie=with_cookie)
            load.report(f"{name}_rps", round(page.rps, 1))
            load.report(f"{name}_p50_ms", round(page.p50_ms, 1))
            load.report(f"{name}_p99_ms", round(page.p99_ms, 1))
            load.report(f"{name}_ratio_to_bare", round(ratio, 4))
            load.report(f"bare_view_rps_beside_{name}", round(bare.rps, 1))
        load.report("bare_view_rps", round(bare.rps, 1))
        load.report(
            "thread_page_rps", load.drive(base + pages["thread_page"][0], cookie=cookie).rps
        )
        single = {
            name: load.drive(base + pages[name][0], cookie=cookie, connections=1, seconds=3)
            for name in ("thread_list_100", "thread_list_10000", "thread_page")
        }
        # thread_list_ms_* (median server time) is test_list_bench.py's; these are wrk's p50.
        load.report("thread_list_wrk_p50_ms_100", round(single["thread_list_100"].p50_ms, 1))
        load.report("thread_list_wrk_p50_ms_10000", round(single["thread_list_10000"].p50_ms, 1))
        # The "median server time" of the thread page: one connection, no queueing.
        load.report("thread_page_single_p50_ms", round(single["thread_page"].p50_ms, 1))
