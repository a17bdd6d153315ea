"""The search page's one statement and its row load: the SQL forms of the visibility and unread
rules give exactly what the ORM forms give, for every kind of viewer and thread; the hits are
those of the two-query path they replace (filters, any-word, the cap); the statement goes
through the document index; a page of hits is loaded once."""

import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.core.models.communities import Community, Visibility
from communities.core.services.membership import leave_community
from communities.discussions import search
from communities.discussions.selectors.threads import (
    _with_list_annotations,
    decorate_threads,
    search_threads,
    threads_in_order,
    visible_threads,
)
from communities.discussions.selectors.visible_sql import visible_threads_condition
from communities.discussions.selectors.visits import unread_condition, with_unread
from communities.discussions.services.visits import mark_community_read, record_thread_visit
from communities.models import Thread
from tests.communities.factories import (
    Cast,
    UserFactory,
    add_member,
    make_circle_of,
    make_member,
    make_reply,
    make_thread,
    new_community,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


class World:
    """Walrus threads of every kind, in communities of every visibility, and a viewer of every
    kind (anonymous is None until asked)."""

    def __init__(self) -> None:
        cast = Cast()
        self.cast = cast
        open_ = cast.community
        restricted = new_community(manager=UserFactory(), visibility=Visibility.RESTRICTED)
        private = new_community(manager=UserFactory(), visibility=Visibility.PRIVATE)
        held = new_community(manager=UserFactory(), visibility=Visibility.OPEN)
        self.circle_member = add_member(open_)
        self.left_circle_member = add_member(open_)
        self.private_member = make_member(private)
        circle = make_circle_of(open_, self.circle_member, self.left_circle_member)
        write = cast.member
        for community, author in (
            (open_, write),
            (restricted, make_member(restricted)),
            (private, self.private_member),
            (held, make_member(held)),
        ):
            make_thread(author=author, community=community, title="Walrus one", kind="question")
            make_thread(
                author=author,
                community=community,
                title="Walrus walrus two",
                kind="discussion",
                tag_names=["oceans"],
            )
        make_thread(
            author=self.circle_member, community=open_, title="Walrus circle", circle=circle
        )
        hidden = make_thread(author=write, community=open_, title="Walrus hidden")
        Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
        asked = make_thread(author=write, community=open_, title="Walrus asked", is_anonymous=True)
        make_reply(author=cast.other_member, thread=asked, body="A walrus reply")
        Community.objects.filter(pk=held.pk).update(is_held_for_review=True)
        # A circle seat outlives leaving the community; the circle's threads must not.
        leave_community(user=self.left_circle_member, community=open_)
        self.communities = [open_, restricted, private, held]

    def viewers(self) -> dict:
        cast = self.cast
        named = ["outsider", "banned", "pending", "member", "champion", "moderator"]
        return {
            "anonymous": AnonymousUser(),
            **{name: cast[name] for name in named},
            "manager": cast.manager,
            "staff": cast.staff,
            "circle_member": self.circle_member,
            "left_circle_member": self.left_circle_member,
            "private_member": self.private_member,
        }


@pytest.fixture
def world():
    return World()


def _old_hits(viewer, query, *, community=None, tag="", kind="", any_word=False):
    """What `search_threads` returned before it was one statement."""
    visible = visible_threads(viewer)
    if community is not None:
        visible = visible.filter(community=community)
    if tag:
        visible = visible.filter(tags__name=tag)
    if kind:
        visible = visible.filter(kind=kind)
    if any_word:
        query = " or ".join(query.split())
    return _two_query_hits(visible=visible, query=query)


def _two_query_hits(*, visible, query: str) -> search.SearchHits:
    """The path `search.thread_hits` replaced, kept here as its oracle: the newest candidate
    ids through the ORM (`search.candidate_ids`), then only those ranked."""
    candidates = list(search.candidate_ids(visible=visible, query=query))
    is_capped = len(candidates) > search.CANDIDATE_CAP
    if not candidates:
        return search.SearchHits([], is_capped=False)
    rank = RawSQL(search.RANK, [query])  # noqa: S611
    ranked = list(
        Thread.objects.filter(pk__in=candidates[: search.CANDIDATE_CAP])
        .annotate(rank=rank)
        .order_by("-rank", "-last_activity_at", "-pk")
        .values_list("pk", "rank")
    )
    return search.SearchHits(
        [pk for pk, _ in ranked], is_capped=is_capped, ranks=[float(r) for _, r in ranked]
    )


def test_the_sql_visibility_rule_is_visible_threads_for_every_viewer(world):
    for name, viewer in world.viewers().items():
        where, params = visible_threads_condition(viewer)
        by_sql = Thread.objects.filter(RawSQL(where, params, output_field=BooleanField()))  # noqa: S611
        assert set(by_sql.values_list("pk", flat=True)) == set(
            visible_threads(viewer).values_list("pk", flat=True)
        ), name


def test_the_hits_are_those_of_the_two_query_path_for_every_viewer_and_filter(world):
    open_ = world.communities[0]
    cases = [
        {},
        {"community": open_},
        {"tag": "oceans"},
        {"kind": "question"},
        {"tag": "oceans", "community": open_, "kind": "discussion"},
    ]
    for name, viewer in world.viewers().items():
        for query, any_word in (("walrus", False), ("walrus reply", False), ("reply two", True)):
            for filters in cases:
                old = _old_hits(viewer, query, any_word=any_word, **filters)
                new = search_threads(viewer=viewer, query=query, any_word=any_word, **filters)
                assert (new.ids, new.ranks, new.is_capped) == (
                    old.ids,
                    old.ranks,
                    old.is_capped,
                ), (name, query, filters)


def test_the_cap_keeps_the_newest_matches_as_before(world, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATE_CAP", 3)
    staff = world.cast.staff
    new = search_threads(viewer=staff, query="walrus")
    old = _old_hits(staff, "walrus")
    assert new.is_capped
    assert old.is_capped
    assert (new.ids, new.ranks) == (old.ids, old.ranks)
    assert len(new.ids) == 3


def test_the_sql_unread_rule_is_with_unread(world):
    cast = world.cast
    open_ = world.communities[0]
    threads = list(Thread.objects.filter(community=open_, circle=None, is_hidden=False))
    record_thread_visit(user=cast.member, thread=threads[0])
    record_thread_visit(user=cast.member, thread=threads[1])
    make_reply(author=cast.other_member, thread=threads[1], body="Later news")
    mark_community_read(user=cast.moderator, community=open_)
    Thread.objects.filter(pk=threads[2].pk).update(
        last_activity_at=timezone.now() + timezone.timedelta(minutes=1)
    )
    for name, viewer in world.viewers().items():
        where, params = unread_condition(viewer)
        by_sql = dict(
            Thread.objects.annotate(
                unread=RawSQL(where, params, output_field=BooleanField())  # noqa: S611
            ).values_list("pk", "unread")
        )
        by_orm = dict(with_unread(viewer, Thread.objects.all()).values_list("pk", "is_unread"))
        assert by_sql == by_orm, name
    assert any(by_orm.values())
    assert not all(by_orm.values())


def test_a_page_of_hits_is_loaded_once_ready_to_show(world):
    member = world.cast.other_member
    with CaptureQueriesContext(connection) as captured:
        hits = search_threads(viewer=member, query="walrus")
        page = hits[:20]
        rows = threads_in_order(member, page)
    # The statement, then the rows with their tags: nothing more.
    assert len(captured.captured_queries) == 2, [q["sql"] for q in captured.captured_queries]
    assert rows
    assert rows == page
    assert [row.pk for row in rows] == hits.ids[:20]
    assert all(hasattr(row, "is_unread") and hasattr(row, "shown_author") for row in rows)
    with CaptureQueriesContext(connection) as captured:
        tags = {row.pk: [tag.name for tag in row.tags.all()] for row in rows}
    assert not captured.captured_queries
    assert tags == {
        thread.pk: [tag.name for tag in thread.tags.all()]
        for thread in Thread.objects.filter(pk__in=tags)
    }
    assert ["oceans"] in tags.values()
    asked = next(row for row in rows if row.title == "Walrus asked")
    assert asked.shown_author is None  # anonymous, to everyone but the asker


def test_rows_of_another_viewer_are_loaded_again_for_this_one(world):
    cast = world.cast
    rows = search_threads(viewer=cast.staff, query="hidden")[:20]
    assert [row.title for row in rows] == ["Walrus hidden"]
    assert threads_in_order(cast.member, rows) == []


def test_the_one_statement_goes_through_the_document_index(world):
    cast = world.cast
    words = ["agenda", "timebox", "feedback", "circle", "cadence", "notes", "trust", "energy"]
    rng = random.Random(5)
    Thread.objects.bulk_create(
        Thread(
            community=cast.community,
            author=cast.member,
            kind="discussion",
            title=" ".join(rng.choices(words, k=5)),
            body=" ".join(rng.choices(words, k=40)),
        )
        for _ in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_thread")
    where, params = visible_threads_condition(cast.member)
    sql = search.HITS.format(where=where)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, ["walrus", "walrus", *params, 1001])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on communities_thread_document_gin" in plan, plan
    assert "Seq Scan on communities_thread" not in plan, plan
    assert "communities_post" not in plan, plan


def _orm_rows(viewer, pks) -> dict:
    """The rows as the ORM loads them for lists (the SQLite path): the oracle of the SQL rows."""
    threads = with_unread(viewer, _with_list_annotations(visible_threads(viewer)))
    return {row.pk: row for row in decorate_threads(viewer, threads.filter(pk__in=pks))}


def _shown(row) -> tuple:
    """Everything a list row carries: every column of the thread, its community, circle and
    author, whether it is unread, its tags, the author shown and the status."""

    def columns(obj):
        if obj is None:
            return None
        return [(field.attname, getattr(obj, field.attname)) for field in obj._meta.concrete_fields]

    return (
        columns(row),
        columns(row.community),
        columns(row.circle),
        columns(row.author),
        row.is_unread,
        [(tag.pk, tag.name) for tag in row.tags.all()],
        row.shown_author,
        row.status,
    )


def _the_rows_hold(viewer, rows, name) -> None:
    oracle = _orm_rows(viewer, [row.pk for row in rows])
    assert set(oracle) == {row.pk for row in rows}, name
    with CaptureQueriesContext(connection) as captured:
        for row in rows:
            assert _shown(row) == _shown(oracle[row.pk]), (name, row.title)
    assert not captured.captured_queries, name


def test_a_page_of_hits_is_the_orms_rows_for_every_viewer(world):
    cast = world.cast
    open_ = world.communities[0]
    threads = list(Thread.objects.filter(community=open_, circle=None, is_hidden=False))
    record_thread_visit(user=cast.member, thread=threads[0])
    mark_community_read(user=cast.moderator, community=open_)
    make_reply(author=cast.other_member, thread=threads[1], body="Walrus news")
    seen = set()
    for name, viewer in world.viewers().items():
        hits = search_threads(viewer=viewer, query="walrus")
        rows = hits[:20]
        assert [row.pk for row in rows] == hits.ids, name
        _the_rows_hold(viewer, rows, name)
        seen |= {(row.circle is not None, row.is_unread, row.shown_author is None) for row in rows}
    # Circle and open threads, unread and read, anonymous and named authors were all compared.
    assert {flag for flags in seen for flag in flags} == {True, False}
    assert len(seen) >= 3


def test_rows_by_id_are_the_orms_and_keep_the_visibility_rule(world):
    everything = list(Thread.objects.values_list("pk", flat=True))
    for name, viewer in world.viewers().items():
        with CaptureQueriesContext(connection) as captured:
            rows = threads_in_order(viewer, everything)
        assert len(captured.captured_queries) == 1, name
        visible = set(visible_threads(viewer).values_list("pk", flat=True))
        assert {row.pk for row in rows} == visible, name
        _the_rows_hold(viewer, rows, name)


def test_the_search_page_shows_the_orms_rows(world, client):
    member = world.cast.other_member
    client.force_login(member)
    response = client.get("/search/", {"q": "walrus"})
    shown = [row["thread"] for row in response.context["results"]]
    assert shown
    _the_rows_hold(member, shown, "member")
    assert "Walrus asked" in response.content.decode()
