"""Reads of people followed: whether one follows a person, and what those people posted."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F

from communities.core.models.people import User
from communities.discussions.models.person_follows import PersonFollow
from communities.discussions.models.threads import Post, Thread
from communities.discussions.selectors.threads import visible_threads

NEWS_SHOWN = 10


def is_following_person(viewer, person: User) -> bool:
    if not viewer.is_authenticated or viewer.pk == person.pk:
        return False
    return PersonFollow.objects.filter(follower_id=viewer.pk, person=person).exists()


@dataclass
class PersonNews:
    """A thread started or an answer given by someone the viewer follows."""

    person: User | None
    thread: Thread
    at: datetime
    post: Post | None = None

    @property
    def is_answer(self) -> bool:
        return self.post is not None


def news_from_people_followed(viewer, limit: int = NEWS_SHOWN) -> list[PersonNews]:
    """The latest threads and answers of the people `viewer` follows, among the threads they
    may read, newest first (two queries). Anonymous questions, and their askers' own replies
    in them, are never attributed: they are left out."""
    if not viewer.is_authenticated:
        return []
    followed = PersonFollow.objects.filter(follower_id=viewer.pk).values("person_id")
    readable = visible_threads(viewer).filter(is_hidden=False)
    threads = (
        readable.filter(author_id__in=followed, is_anonymous=False)
        .select_related("community", "author")
        .order_by("-created_at", "-pk")[:limit]
    )
    answers = (
        Post.objects.filter(
            author_id__in=followed,
            parent__isnull=True,
            is_hidden=False,
            thread__in=readable.values("pk"),
        )
        .exclude(thread__is_anonymous=True, thread__author_id=F("author_id"))
        .select_related("thread__community", "author")
        .order_by("-created_at", "-pk")[:limit]
    )
    news = [PersonNews(person=t.author, thread=t, at=t.created_at) for t in threads]
    news += [PersonNews(person=p.author, thread=p.thread, post=p, at=p.created_at) for p in answers]
    news.sort(key=lambda item: item.at, reverse=True)
    return news[:limit]
