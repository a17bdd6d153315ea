"""Demo threads for `seed_demo`: every kind, answers, accepted and verified answers and an
anonymous question, written through the services. Safe to run again."""

from communities.core.models.communities import Community
from communities.core.models.people import User
from communities.discussions.models.threads import Thread
from communities.discussions.services.posts import reply
from communities.discussions.services.threads import (
    accept_answer,
    mark_verified_answer,
    start_thread,
)
from communities.discussions.services.votes import thank, vote

THREADS = [
    {
        "kind": "question",
        "title": "How do you get a quiet group to talk in the first ten minutes?",
        "body": "My sessions start with silence. I've tried icebreakers but they feel forced. "
        "What do you open with?",
        "tags": ["facilitation", "onboarding"],
        "answers": [
            "Start with **1-2-4-all**: a minute alone, then pairs, then fours. Nobody has to "
            "speak to the whole room first.",
            "Ask a question everyone can answer from experience, like *the last time a meeting "
            "went well for you*.",
        ],
        "accept": 0,
        "verify": 0,
    },
    {
        "kind": "question",
        "title": "Is it normal to feel like an impostor when giving peer feedback?",
        "body": "I'm new and reviewing people with ten years more experience. Any advice?",
        "tags": ["peer-review"],
        "anonymous": True,
        "answers": [
            "Completely normal. Describe what you *noticed* rather than judging; that is "
            "useful from anyone."
        ],
        "accept": 0,
    },
    {
        "kind": "question",
        "title": "Which tool do you use for async retrospectives?",
        "body": "Looking for something that works across five timezones.",
        "tags": ["remote-work"],
        "answers": [],
    },
    {
        "kind": "discussion",
        "title": "What does a healthy community of practice look like to you?",
        "body": "Share one sign you look for.",
        "tags": ["community-health"],
        "answers": ["People answer each other before the moderators do."],
    },
    {
        "kind": "prompt",
        "title": "Tell us about a mistake that taught you the most this year",
        "body": "Reflective prompt of the week: one story, what you would do differently.",
        "tags": [],
        "answers": ["Scheduling a workshop without asking who could attend. Never again."],
    },
    {
        "kind": "showcase",
        "title": "Working out loud: my first facilitation playbook draft",
        "body": "Here's the outline. Feedback on the *closing* section welcome.",
        "tags": ["facilitation"],
        "answers": ["The closing checklist is great. Add a minute of silence before it."],
    },
    {
        "kind": "retrospective",
        "title": "Retro: our spring learning circle",
        "body": "**Went well:** cadence, notes. **To change:** too many goals at once.",
        "tags": ["circles"],
        "answers": [],
    },
]


def seed_discussions(*, community: Community, members: list[User], moderator: User) -> int:
    """Add the demo threads to `community` unless it already has threads; returns how many
    were added. `members` (two or more) must be active members who agreed to the guidelines;
    `moderator` must moderate the community."""
    if Thread.objects.filter(community=community).exists():
        return 0
    for n, spec in enumerate(THREADS):
        asker = members[n % len(members)]
        answerers = [person for person in [*members, moderator] if person.pk != asker.pk]
        thread = start_thread(
            author=asker,
            community=community,
            kind=spec["kind"],
            title=spec["title"],
            body=spec["body"],
            tag_names=spec["tags"],
            is_anonymous=spec.get("anonymous", False),
        )
        posts = [
            reply(author=answerers[i % len(answerers)], thread=thread, body=body)
            for i, body in enumerate(spec["answers"])
        ]
        for post in posts:
            vote(voter=asker, post=post)
        if posts:
            reply(author=asker, thread=thread, parent=posts[0], body="Thank you, trying it.")
            thank(user=asker, post=posts[0])
        if "accept" in spec:
            accept_answer(actor=asker, thread=thread, post=posts[spec["accept"]])
        if "verify" in spec:
            mark_verified_answer(actor=moderator, thread=thread, post=posts[spec["verify"]])
    return len(THREADS)
