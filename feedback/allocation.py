"""Who reviews what: a pure function over plain ids, no Django.

Every submission gets exactly `per_submission` distinct reviewers, nobody reviews their own
work or the work of someone they conflict with, and every reviewer's load is within one of
every other's. It is a flow problem (submissions -> reviewers, capacity one per pair): a fast
greedy pass does nearly all of it, then augmenting paths finish the rest exactly, in two
phases (first every reviewer up to the lower load q, then the remainder up to q + 1), so the
function raises `AllocationError` only when no allocation exists.
"""

import heapq
import random
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence

Id = Hashable


class AllocationError(ValueError):
    """No allocation meets the rules; the message says why, for the round's owner."""


def allocate(
    authors: Mapping[Id, Id],
    reviewers: Sequence[Id],
    per_submission: int,
    *,
    conflicts: Iterable[tuple[Id, Id]] = (),
    seed: int = 0,
) -> dict[Id, list[Id]]:
    """Map each submission id to `per_submission` distinct reviewer ids (see the module)."""
    if per_submission < 1:
        raise AllocationError("Each submission needs at least one reviewer.")
    reviewer_list = list(dict.fromkeys(reviewers))
    if not authors:
        return {}
    if len(reviewer_list) < per_submission:
        raise AllocationError(
            f"There are {len(reviewer_list)} reviewers; each submission needs "
            f"{per_submission}. Add reviewers or lower the number per submission."
        )
    blocked = set(conflicts)
    rng = random.Random(seed)  # noqa: S311 - a fair shuffle, not a secret
    rank = {rv: i for i, rv in enumerate(rng.sample(reviewer_list, len(reviewer_list)))}
    by_rank = sorted(reviewer_list, key=rank.__getitem__)

    def eligible(sid: Id, rv: Id) -> bool:
        author = authors[sid]
        return rv != author and (rv, author) not in blocked

    reviewer_set = set(reviewer_list)
    blocked_by_author: dict[Id, set[Id]] = {}
    for rv, author in blocked:
        if rv in reviewer_set and rv != author:
            blocked_by_author.setdefault(author, set()).add(rv)
    for sid, author in authors.items():
        count = (
            len(reviewer_set) - (author in reviewer_set) - len(blocked_by_author.get(author, ()))
        )
        if count < per_submission:
            raise AllocationError(
                f"Submission {sid} has only {count} eligible reviewers (not its author, "
                f"no conflicts); it needs {per_submission}."
            )

    order = list(authors)
    rng.shuffle(order)
    position = {sid: i for i, sid in enumerate(order)}
    total = len(order) * per_submission
    low, extra = divmod(total, len(reviewer_list))
    assigned: dict[Id, list[Id]] = {sid: [] for sid in order}
    reviews_of: dict[Id, set[Id]] = {rv: set() for rv in reviewer_list}

    def assign(sid: Id, rv: Id) -> None:
        assigned[sid].append(rv)
        reviews_of[rv].add(sid)

    def unassign(sid: Id, rv: Id) -> None:
        assigned[sid].remove(rv)
        reviews_of[rv].discard(sid)

    def greedy(cap: int) -> None:
        heap = [(len(reviews_of[rv]), rank[rv], rv) for rv in reviewer_list]
        heapq.heapify(heap)
        for _ in range(per_submission):
            for sid in order:
                if len(assigned[sid]) >= per_submission:
                    continue
                aside = []
                while heap and heap[0][0] < cap:
                    load, r, rv = heapq.heappop(heap)
                    if eligible(sid, rv) and rv not in assigned[sid]:
                        assign(sid, rv)
                        heapq.heappush(heap, (load + 1, r, rv))
                        break
                    aside.append((load, r, rv))
                for item in aside:
                    heapq.heappush(heap, item)

    def augment(cap: int) -> bool:
        """One augmenting path from a short submission to a reviewer under `cap`."""
        sources = [sid for sid in order if len(assigned[sid]) < per_submission]
        if not sources:
            return False
        parent_of_reviewer: dict[Id, Id] = {}
        parent_of_submission: dict[Id, Id | None] = dict.fromkeys(sources)
        queue = deque(sources)
        unvisited = by_rank
        while queue:
            sid = queue.popleft()
            still = []
            for rv in unvisited:
                if not eligible(sid, rv) or rv in assigned[sid]:
                    still.append(rv)
                    continue
                parent_of_reviewer[rv] = sid
                if len(reviews_of[rv]) < cap:
                    _apply_path(rv, parent_of_reviewer, parent_of_submission, assign, unassign)
                    return True
                for other in sorted(reviews_of[rv], key=position.__getitem__):
                    if other not in parent_of_submission:
                        parent_of_submission[other] = rv
                        queue.append(other)
            unvisited = still
        return False

    # Phase one: everyone up to the lower load; phase two: the remainder, one more each.
    greedy(low)
    while any(len(reviews_of[rv]) < low for rv in reviewer_list):
        if not augment(low):
            raise _impossible(per_submission)
    greedy(low + 1)
    while sum(len(v) for v in assigned.values()) < total:
        if not augment(low + 1):
            raise _impossible(per_submission)
    if extra and sum(1 for rv in reviewer_list if len(reviews_of[rv]) > low) != extra:
        raise _impossible(per_submission)  # pragma: no cover - the flow argument forbids it
    return {sid: assigned[sid] for sid in authors}


def _apply_path(target, parent_of_reviewer, parent_of_submission, assign, unassign) -> None:
    rv = target
    while True:
        sid = parent_of_reviewer[rv]
        assign(sid, rv)
        previous = parent_of_submission[sid]
        if previous is None:
            return
        unassign(sid, previous)
        rv = previous


def _impossible(per_submission: int) -> AllocationError:
    return AllocationError(
        f"No allocation gives every submission {per_submission} reviewers with loads within "
        "one of each other under these conflicts. Add reviewers or relax the circle rule."
    )
