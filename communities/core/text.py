"""The one cleaner of single-line text (names, titles, tags) and of email subjects.

A newline or control character in a community or circle name once broke every email that
carried it in its subject (a header may not hold a newline) and could forge extra headers;
names, titles and subjects all go through here instead.
"""

import unicodedata

SUBJECT_MAX_LENGTH = 150

# Characters that reorder text around them can make a name read as something else.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(ch: str) -> bool:
    # Cc: C0/C1 controls (NUL, newline, tab, DEL...); Zl/Zp: line and paragraph separators;
    # Cs: lone surrogates. Other format characters (Cf) stay: emoji need the zero-width joiner.
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs") or ch in BIDI_CONTROLS


def single_line(value: str | None) -> str:
    """`value` as one clean line: control characters (newlines and NUL included) become
    spaces, runs of whitespace collapse to one space, and the ends are trimmed."""
    text = "".join(" " if _is_control(ch) else ch for ch in value or "")
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def header_text(value: str | None, *, limit: int = SUBJECT_MAX_LENGTH) -> str:
    """One line of text safe for an email header, cut to `limit` characters."""
    return clip(single_line(value), limit)


def email_subject(text: str | None) -> str:
    """Every email's subject, built here: one safe line of at most `SUBJECT_MAX_LENGTH`
    characters, whatever names went into it."""
    return header_text(text)
