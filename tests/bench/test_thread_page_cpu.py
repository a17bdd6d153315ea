"""CPU of one thread page request (50 replies, signed-in member) in one process, beside a
bare Django view: robust on a shared machine where wrk's requests per second are not.

Run with `make bench`; set PROFILE=1 to print the top of a cProfile of the thread page.
"""

import cProfile
import io
import os
import pstats
import time

import pytest
from django.test import Client
from django.urls import reverse

from communities.discussions.services.votes import vote
from tests.communities.factories import add_member, make_reply, make_thread, new_community

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]


def _cpu_ms(client: Client, path: str, rounds: int) -> float:
    """Median process CPU time of one request, in ms."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        response = client.get(path)
        times.append((time.process_time() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    return times[len(times) // 2]


def test_thread_page_cpu_beside_a_bare_view(settings):
    settings.ROOT_URLCONF = "tests.bench.bench_urls"
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    community = new_community()
    viewer = add_member(community)
    authors = [add_member(community) for _ in range(4)]
    thread = make_thread(author=authors[0], community=community, tag_names=["a", "b"])
    for n in range(50):
        post = make_reply(
            author=authors[n % 4], thread=thread, body=f"Reply {n} with **some** _markdown_."
        )
        if n % 2 == 0:
            vote(voter=viewer, post=post)
    client = Client()
    client.force_login(viewer)
    path = reverse("communities:thread-detail", args=[community.slug, thread.pk])
    for _ in range(5):
        client.get(path)
        client.get("/bench/bare/")
    bare = _cpu_ms(client, "/bench/bare/", 200)
    page = _cpu_ms(client, path, 40)
    print(f"BENCH thread_page_cpu_ms {page:.2f}")
    print(f"BENCH bare_view_cpu_ms {bare:.3f}")
    print(f"BENCH thread_page_cpu_ratio_to_bare {bare / page:.4f}")
    if os.environ.get("PROFILE"):
        profile = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
        profile.enable()
        for _ in range(10):
            client.get(path)
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(os.environ["PROFILE"])
        stats.print_stats(int(os.environ.get("PROFILE_N", 45)))
        if callers := os.environ.get("PROFILE_CALLERS"):
            stats.print_callers(callers)
        if callees := os.environ.get("PROFILE_CALLEES"):
            stats.print_callees(callees)
        print(out.getvalue())
