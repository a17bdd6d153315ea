"""Fair rotation of the three meeting roles, as plain functions over plain data.

Nobody takes a role a second time before every available member has had it once; members
who said they will be absent are skipped; one person holds at most one role per meeting
when at least three people are available. The result depends only on the input.
"""

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import permutations

FACILITATOR = "facilitator"
TIMEKEEPER = "timekeeper"
NOTE_TAKER = "note_taker"
ROLES: tuple[str, ...] = (FACILITATOR, TIMEKEEPER, NOTE_TAKER)

Person = Hashable
Assignment = dict[str, Person | None]


def role_counts(
    members: Sequence[Person], history: Iterable[Mapping[str, Person | None]]
) -> tuple[dict[str, dict[Person, int]], dict[str, dict[Person, int]], dict[Person, int]]:
    """How often each member held each role, when they last held it (meeting index), and
    how many roles they held in all. People who are no longer members are ignored."""
    counts = {role: dict.fromkeys(members, 0) for role in ROLES}
    last_held = {role: dict.fromkeys(members, -1) for role in ROLES}
    total = dict.fromkeys(members, 0)
    for index, meeting in enumerate(history):
        for role in ROLES:
            person = meeting.get(role)
            if person in total:
                counts[role][person] += 1
                last_held[role][person] = index
                total[person] += 1
    return counts, last_held, total


def assign_roles(
    members: Sequence[Person],
    history: Sequence[Mapping[str, Person | None]],
    absent: Iterable[Person] = (),
    keep: Mapping[str, Person | None] | None = None,
) -> Assignment:
    """The three role holders of the next meeting.

    `members` are the active members in a stable order (it breaks ties), `history` the
    role holders of earlier meetings, oldest first, `absent` who said they will not come,
    and `keep` roles already held by someone who still comes (they are not moved).
    """
    absent = set(absent)
    available = [person for person in members if person not in absent]
    keep = {
        role: person
        for role, person in (keep or {}).items()
        if role in ROLES and person in available
    }
    open_roles = [role for role in ROLES if role not in keep]
    if not available:
        return {role: keep.get(role) for role in ROLES}

    counts, last_held, total = role_counts(members, history)
    order = {person: index for index, person in enumerate(available)}
    distinct = len(available) >= len(ROLES)
    free = [person for person in available if person not in keep.values()] if distinct else []
    lowest = {role: min(counts[role][p] for p in available) for role in open_roles}

    def cost(choice: Sequence[Person]) -> tuple:
        pairs = list(zip(open_roles, choice, strict=True))
        # With fewer people than roles, spread the roles before anything else.
        doubled = max(Counter(choice).values(), default=0)
        # Taking a role again while someone available has not had it breaks fairness.
        unfair = sum(counts[role][person] > lowest[role] for role, person in pairs)
        repeats = sum(counts[role][person] for role, person in pairs)
        # People who have held fewest roles overall go first, so nobody sits out twice.
        load = sum(total[person] for _, person in pairs)
        recency = sum(last_held[role][person] for role, person in pairs)
        ranks = tuple(order[person] for _, person in pairs)
        return (doubled, unfair, repeats, load, recency, ranks)

    if distinct:
        candidates = permutations(free, len(open_roles))
    else:
        # Fewer people than roles: someone holds two; still pick by the same measure.
        candidates = _with_repetition(available, len(open_roles))
    best = min(candidates, key=cost, default=())
    chosen = dict(zip(open_roles, best, strict=False))
    return {role: keep.get(role, chosen.get(role)) for role in ROLES}


def _with_repetition(people: Sequence[Person], size: int):
    if size == 0:
        yield ()
        return
    for person in people:
        for rest in _with_repetition(people, size - 1):
            yield (person, *rest)
