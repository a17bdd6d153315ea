"""Scores with reasons a person can read, and the matrix agreeing with the pair function."""

import datetime as dt
import random

import numpy as np

from mentoring.scoring import Activity, Person, Weights, score_matrix, score_pair, utc_hours

JAN = dt.date(2026, 1, 15)


def test_reasons_name_topics_overlap_language_and_activity():
    mentee = Person(
        user_id=1,
        topics=frozenset({"sql", "airflow", "dbt", "spark"}),
        experiences=frozenset({"career changer"}),
        languages=frozenset({"spanish", "english"}),
        hours_utc=frozenset(range(8, 16)),
    )
    mentor = Person(
        user_id=2,
        topics=frozenset({"sql", "airflow", "dbt"}),
        experiences=frozenset({"career changer"}),
        languages=frozenset({"spanish"}),
        hours_utc=frozenset(range(12, 20)),
    )
    activity = {"sql": Activity(answers=4, accepted=1), "dbt": Activity(answers=2, accepted=1)}
    score = score_pair(mentee, mentor, Weights(), activity)
    assert score.reasons == [
        "3 shared topics: airflow, dbt, sql",
        "lived experience in common: career changer",
        "4 h overlap in working hours",
        "both speak Spanish",
        "answered 6 of your topics' questions here, 2 accepted",
    ]
    # topics 3/4, experience 1, timezone 1, language 1, activity min(10, 6+4)/10 = 1
    expected = 100 * (4 * 0.75 + 2 + 2 + 1 + 2 * 1.0) / 11
    assert score.value == round(expected, 2)


def test_no_shared_language_or_same_person_is_not_allowed():
    a = Person(user_id=1, topics=frozenset({"sql"}), languages=frozenset({"english"}))
    b = Person(user_id=2, topics=frozenset({"sql"}), languages=frozenset({"french"}))
    assert score_pair(a, b, Weights()) is None
    assert score_pair(a, a, Weights()) is None


def test_working_hours_are_compared_in_utc():
    stockholm = utc_hours("Europe/Stockholm", 9, 17, JAN)  # UTC+1 in January
    assert stockholm == frozenset(range(8, 16))
    night_shift = utc_hours("UTC", 22, 2, JAN)
    assert night_shift == frozenset({22, 23, 0, 1})
    assert utc_hours("Nowhere/Unknown", 9, 10, JAN) == frozenset({9})


def test_matrix_agrees_with_the_pair_function():
    rng = random.Random(7)
    topics = [f"t{k}" for k in range(8)]
    langs = ["english", "spanish", "french"]

    def someone(uid):
        return Person(
            user_id=uid,
            topics=frozenset(rng.sample(topics, rng.randint(1, 4))),
            experiences=frozenset(rng.sample(["a", "b", "c"], rng.randint(0, 2))),
            languages=frozenset(rng.sample(langs, rng.randint(1, 2))),
            hours_utc=frozenset(range(rng.randint(0, 12), rng.randint(13, 24))),
        )

    mentees = [someone(i) for i in range(12)]
    mentors = [someone(100 + j) for j in range(6)] + [mentees[0]]
    activity = [
        {t: Activity(rng.randint(0, 5), rng.randint(0, 2), 0, rng.randint(0, 3)) for t in topics}
        for _ in mentors
    ]
    weights = Weights(topics=3, experience=1, timezone=2, language=1, activity=2)
    preferred = {(2, 3), (4, 0)}
    matrix = score_matrix(
        mentees, mentors, weights, activity, excluded=[(1, 1)], preferred=preferred
    )
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            pair = score_pair(
                mentee, mentor, weights, activity[j], is_preferred=(i, j) in preferred
            )
            if pair is None or (i, j) == (1, 1):
                assert np.isnan(matrix[i, j])
            else:
                assert abs(matrix[i, j] - pair.value) < 0.011


def test_the_mentor_asked_for_gets_a_head_start_and_says_so():
    a = Person(user_id=1, topics=frozenset({"sql"}), languages=frozenset({"english"}))
    b = Person(user_id=2, topics=frozenset({"dbt"}), languages=frozenset({"english"}))
    plain = score_pair(a, b, Weights())
    preferred = score_pair(a, b, Weights(), is_preferred=True)
    assert preferred.value == plain.value + 10
    assert preferred.reasons[0] == "the mentor you asked for"
