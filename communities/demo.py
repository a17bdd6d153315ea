"""Believable demo data for `manage.py seed_demo`; idempotent by natural keys."""

from communities.models import User
from communities.services.accounts import ensure_demo_user
from communities.services.profiles import tags_from_names

DEMO_PASSWORD = "trellis-demo-2026"  # noqa: S105 - printed for the local demo on purpose

PEOPLE = [
    {
        "email": "staff@trellis.test",
        "username": "sam_staff",
        "display_name": "Sam Okafor",
        "is_staff": True,
        "bio": "Runs the Trellis instance and edits the knowledge base.",
        "motivation": "Make it easy for practitioners to learn from each other.",
        "expertise": ["facilitation", "knowledge-management"],
        "timezone": "Europe/London",
    },
    {
        "email": "maya@trellis.test",
        "username": "maya",
        "display_name": "Maya Lindqvist",
        "bio": "Community manager for the facilitation practice.",
        "motivation": "Every newcomer gets a real answer within a day.",
        "expertise": ["facilitation", "onboarding"],
        "timezone": "Europe/Stockholm",
    },
    {
        "email": "jon@trellis.test",
        "username": "jon",
        "display_name": "Jon Mensah",
        "bio": "Data engineer learning to mentor.",
        "motivation": "Share what I learned the hard way about pipelines.",
        "expertise": ["python", "data-engineering"],
        "timezone": "Africa/Accra",
    },
    {
        "email": "lee@trellis.test",
        "username": "lee",
        "display_name": "Lee Park",
        "bio": "New to the field, asking lots of questions.",
        "motivation": "Become a confident reviewer of my peers' work.",
        "expertise": ["ux-research"],
        "timezone": "Asia/Seoul",
    },
]


def seed() -> list[User]:
    people = []
    for spec in PEOPLE:
        spec = dict(spec)
        expertise = spec.pop("expertise")
        user = ensure_demo_user(password=DEMO_PASSWORD, **spec)
        if not user.expertise.exists():
            user.expertise.set(tags_from_names(expertise))
        people.append(user)
    return people
