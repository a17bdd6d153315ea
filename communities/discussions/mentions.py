"""Finding `@handle` mentions in Markdown. The one place that decides what a mention is."""

import re

MAX_MENTIONS = 20

# Code shows text as typed, so `@handle` inside it is an example, not a mention.
_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
# Not after a word character, "@", "." or "/", so e-mail addresses and URLs don't count.
_MENTION = re.compile(r"(?<![\w@./])@([A-Za-z0-9_]{2,30})(?![\w@])")


def parse_mentions(text: str) -> list[str]:
    """The handles mentioned in `text`, lower-cased, in order of first mention, at most
    MAX_MENTIONS of them."""
    text = _INLINE_CODE.sub(" ", _FENCED_CODE.sub(" ", text or ""))
    handles: list[str] = []
    for match in _MENTION.finditer(text):
        handle = match.group(1).lower()
        if handle not in handles:
            handles.append(handle)
        if len(handles) == MAX_MENTIONS:
            break
    return handles
