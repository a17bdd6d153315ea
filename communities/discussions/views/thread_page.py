"""What the thread page needs per reply, prepared once per page instead of per reply.

Links are formatted from one reverse() per kind (a page of 30 answers would otherwise reverse
about seven URLs per reply while rendering), and answers with their nested replies come as one
flat list of rows, so the template renders them in one loop without an include per reply.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse

# Reversed with these stand-ins, then formatted per reply: a URL has no other digits run like it.
_POST = 987654321
_USER = "trellis-username-placeholder"


@dataclass(frozen=True)
class PostLinks:
    vote: str
    thank: str
    edit: str
    flag: str
    moderate: str


class ThreadLinks:
    """`links.for_post(post)` and `links.profile(user)` for one thread, without reverse()."""

    def __init__(self, community, thread) -> None:
        args = [community.slug, thread.pk, _POST]
        self._post_templates = {
            "vote": reverse("communities:post-vote", args=args),
            "thank": reverse("communities:post-thank", args=args),
            "edit": reverse("communities:post-edit", args=args),
            "flag": reverse("communities:post-flag", args=args),
            "moderate": reverse("communities:moderation-post", args=args),
        }
        self._profile = reverse("communities:profile-detail", args=[_USER])

    def for_post(self, post) -> PostLinks:
        pk = str(post.pk)
        return PostLinks(
            **{
                name: template.replace(str(_POST), pk)
                for name, template in self._post_templates.items()
            }
        )

    def profile(self, user) -> str:
        return self._profile.replace(_USER, quote(user.username, safe="@+.-_~"))


def answer_rows(community, thread, answers) -> list:
    """The answers and their nested replies in display order, each with `links`,
    `profile_url`, `nested`, `opens_children`, `closes_children` and `closes_answer` (the
    answer whose article ends after this row, or None)."""
    links = ThreadLinks(community, thread)
    rows = []
    for answer in answers:
        children = list(answer.children.all())
        _attach(links, answer, nested=False)
        answer.closes_answer = None if children else answer
        rows.append(answer)
        for n, child in enumerate(children):
            _attach(links, child, nested=True)
            child.opens_children = n == 0
            child.closes_children = n == len(children) - 1
            child.closes_answer = answer if child.closes_children else None
            rows.append(child)
    return rows


def attach_post_links(community, thread, post) -> None:
    """`links` for one reply rendered alone (the reactions fragment)."""
    post.links = ThreadLinks(community, thread).for_post(post)


def _attach(links: ThreadLinks, post, *, nested: bool) -> None:
    post.links = links.for_post(post)
    who = getattr(post, "shown_author", None)
    post.profile_url = links.profile(who) if who is not None else ""
    post.nested = nested
    post.opens_children = post.closes_children = False
