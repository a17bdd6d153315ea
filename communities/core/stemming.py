"""English stemming for search where the database has none (SQLite, the demo).

PostgreSQL's `to_tsvector('english', ...)` stems already. On SQLite the search index stores
the stems of each searchable text next to the text (`stemmed_text`), and a query matches a
word or its stem (`stemmed_query`), so "retrospective" finds "retrospectives" and
"facilitating" finds "facilitation". The stemmer is Porter's (1980), cached per word.
"""

import re
from functools import lru_cache

from wagtail.search.query import And, Or, PlainText, SearchQuery

WORD = re.compile(r"\w+")
# A query's first words only: enough for any question, and the SQL stays small.
MAX_QUERY_WORDS = 12
# Words longer than this are not words (hashes, URLs run together): kept as they are.
MAX_WORD = 40

_STEP2 = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
)
_STEP3 = (
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
)
_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion",
    "ou", "ism", "ate", "iti", "ous", "ive", "ize",
)  # fmt: skip


def _is_consonant(word: str, i: int) -> bool:
    letter = word[i]
    if letter in "aeiou":
        return False
    if letter == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in `stem`."""
    count, previous_vowel = 0, False
    for i in range(len(stem)):
        consonant = _is_consonant(stem, i)
        if consonant and previous_vowel:
            count += 1
        previous_vowel = not consonant
    return count


def _has_vowel(stem: str) -> bool:
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _is_consonant(word, len(word) - 1)


def _cvc(word: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y ("hop", not "snow")."""
    n = len(word)
    return (
        n >= 3
        and _is_consonant(word, n - 1)
        and not _is_consonant(word, n - 2)
        and _is_consonant(word, n - 3)
        and word[-1] not in "wxy"
    )


def _replace_longest(word: str, rules, min_measure: int) -> str:
    for suffix, replacement in rules:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            return stem + replacement if _measure(stem) > min_measure else word
    return word


def _step1(word: str) -> str:
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _double_consonant(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return word


def _step4(word: str) -> str:
    for suffix in sorted(_STEP4, key=len, reverse=True):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if suffix == "ion" and not stem.endswith(("s", "t")):
                return word
            return stem if _measure(stem) > 1 else word
    return word


def _step5(word: str) -> str:
    if word.endswith("e"):
        stem = word[:-1]
        if _measure(stem) > 1 or (_measure(stem) == 1 and not _cvc(stem)):
            word = stem
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The Porter stem of one lower-case word ("facilitating" -> "facilit")."""
    if len(word) <= 2 or len(word) > MAX_WORD or not word.isalpha():
        return word
    word = _step1(word)
    word = _replace_longest(word, _STEP2, 0)
    word = _replace_longest(word, _STEP3, 0)
    word = _step4(word)
    return _step5(word)


def words(text: str) -> list[str]:
    return WORD.findall((text or "").lower())


def stemmed_text(*texts: str) -> str:
    """The stems of every word in `texts`, each once, for a search index."""
    return " ".join(dict.fromkeys(stem(word) for text in texts for word in words(text)))


def stem_prefix(word: str) -> str:
    """What `word` and its stem share ("happy" -> "happ"), for substring (icontains)
    matches on names: "facilitating" then meets "Facilitation"."""
    word = word.lower()
    stemmed = stem(word)
    length = 0
    while length < min(len(word), len(stemmed)) and word[length] == stemmed[length]:
        length += 1
    return word[:length] if length >= 3 else word


def stemmed_query(query: str, *, any_word: bool = False) -> SearchQuery | None:
    """A search-backend query for `query`'s words, each matching itself or its stem (the
    index holds both, see `stemmed_text`); all words must match unless `any_word`. Only word
    characters reach the backend, so quotes and operators are plain text. None when `query`
    has no word."""
    terms: list[SearchQuery] = []
    for word in dict.fromkeys(words(query)[:MAX_QUERY_WORDS]):
        stemmed = stem(word)
        terms.append(
            PlainText(word) if stemmed == word else Or([PlainText(word), PlainText(stemmed)])
        )
    if not terms:
        return None
    if len(terms) == 1:
        return terms[0]
    return Or(terms) if any_word else And(terms)
