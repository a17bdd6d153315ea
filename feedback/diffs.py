"""A readable diff between two versions, as escaped HTML (stdlib difflib)."""

import difflib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def diff_html(before: str, after: str) -> SafeString:
    """Line by line: removed lines in <del>, added in <ins>, the rest as they were. Every
    line is escaped, so nothing the author wrote becomes markup."""
    rows = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        tag, text = line[:2], escape(line[2:])
        if tag == "- ":
            rows.append(f'<del class="diff__del">{text or "&nbsp;"}</del>')
        elif tag == "+ ":
            rows.append(f'<ins class="diff__ins">{text or "&nbsp;"}</ins>')
        elif tag == "  ":
            rows.append(f'<span class="diff__same">{text or "&nbsp;"}</span>')
    return mark_safe('<pre class="diff">' + "\n".join(rows) + "</pre>")  # noqa: S308
