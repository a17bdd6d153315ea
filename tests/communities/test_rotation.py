"""The rotation of meeting roles, without a database."""

import random

import pytest

from communities.circles.rotation import FACILITATOR, NOTE_TAKER, ROLES, TIMEKEEPER, assign_roles


def play(members, meetings, *, absent_for=lambda index: ()):
    history = []
    for index in range(meetings):
        history.append(assign_roles(members, history, absent_for(index)))
    return history


def held(history, role, person):
    return sum(1 for meeting in history if meeting[role] == person)


def test_the_first_meeting_gives_three_different_people_a_role():
    roles = assign_roles(["ana", "ben", "cai", "dee"], [])
    assert roles == {FACILITATOR: "ana", TIMEKEEPER: "ben", NOTE_TAKER: "cai"}


def test_the_same_input_gives_the_same_roles():
    members = ["ana", "ben", "cai", "dee", "eve"]
    history = play(members, 7)
    assert assign_roles(members, history, {"ben"}) == assign_roles(members, history, {"ben"})


def test_absent_members_are_skipped_and_take_their_turn_when_back():
    members = ["ana", "ben", "cai", "dee"]
    roles = assign_roles(members, [], absent={"ana"})
    assert "ana" not in roles.values()
    assert len(set(roles.values())) == 3
    # Back next time, ana is the only one who has not facilitated yet.
    history = [roles]
    assert assign_roles(members, history)[FACILITATOR] in {"ana", "ben", "cai", "dee"} - {
        roles[FACILITATOR]
    }


def test_with_two_people_one_holds_two_roles_and_with_nobody_nobody_does():
    roles = assign_roles(["ana", "ben", "cai"], [], absent={"cai"})
    assert set(roles.values()) == {"ana", "ben"}
    assert assign_roles(["ana"], [], absent={"ana"}) == dict.fromkeys(ROLES)


def test_roles_kept_by_people_who_still_come_stay_put():
    members = ["ana", "ben", "cai", "dee"]
    roles = assign_roles(members, [], absent={"ben"}, keep={FACILITATOR: "ana", TIMEKEEPER: "ben"})
    assert roles[FACILITATOR] == "ana"
    assert roles[TIMEKEEPER] not in {"ana", "ben"}
    assert len(set(roles.values())) == 3


def test_people_who_left_are_ignored_in_the_history():
    history = [{FACILITATOR: "gone", TIMEKEEPER: "ana", NOTE_TAKER: "ben"}]
    roles = assign_roles(["ana", "ben", "cai", "dee"], history)
    assert roles[TIMEKEEPER] != "ana"
    assert roles[NOTE_TAKER] != "ben"


@pytest.mark.parametrize("size", range(3, 9))
def test_nobody_takes_a_role_twice_before_everyone_has_had_it(size):
    members = [f"m{i}" for i in range(size)]
    history = play(members, 12 * size)
    for index, meeting in enumerate(history):
        before = history[:index]
        assert len(set(meeting.values())) == 3
        for role in ROLES:
            fewest = min(held(before, role, person) for person in members)
            assert held(before, role, meeting[role]) == fewest, (index, role)
    # After whole rounds, everyone held every role equally often.
    for role in ROLES:
        assert {held(history, role, person) for person in members} == {12}


@pytest.mark.parametrize("seed", range(20))
def test_over_many_meetings_with_random_absences_the_rules_hold(seed):
    rng = random.Random(seed)
    size = rng.randint(4, 8)
    members = [f"m{i}" for i in range(size)]
    absences = [{p for p in members if rng.random() < 0.25} for _ in range(150)]
    history = play(members, 150, absent_for=lambda index: absences[index])
    for index, meeting in enumerate(history):
        available = [p for p in members if p not in absences[index]]
        holders = [p for p in meeting.values() if p is not None]
        assert not set(holders) & absences[index]
        if len(available) >= 3:
            assert len(set(holders)) == 3
        elif available:
            assert set(holders) == set(available)
    # Absences never starve anyone of a role: the spread stays small.
    for role in ROLES:
        times = [held(history, role, person) for person in members]
        assert max(times) - min(times) <= 3, (role, times)
