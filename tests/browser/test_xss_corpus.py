"""A thread holding known XSS payloads renders without running any of them."""

import pytest

from communities.discussions.services.votes import vote
from communities.models import Post
from tests.browser.conftest import SCREENSHOTS
from tests.communities.factories import CommunityFactory, make_member, make_reply, make_thread

pytestmark = pytest.mark.django_db(transaction=True)

FLAG = "window.__xss=1"
PAYLOADS = [
    f"<script>{FLAG};alert(1)</script>",
    f"<SCRIPT SRC=data:text/javascript,{FLAG}></SCRIPT>",
    f'<img src=x onerror="{FLAG};alert(1)">',
    f'<svg onload="{FLAG}"></svg>',
    f"<svg><script>{FLAG}</script></svg>",
    f'<svg><animate onbegin="{FLAG}" attributeName="x" dur="1s"></animate></svg>',
    f'<iframe src="javascript:{FLAG}"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    f'<a href="javascript:{FLAG};alert(1)">plain javascript link</a>',
    f"[markdown javascript link](javascript:{FLAG})",
    "[mixed case scheme](JaVaScRiPt:alert(1))",
    "[entity colon](javascript&#58;alert(1))",
    "[angle brackets](<javascript:alert(1)>)",
    "![image javascript](javascript:alert(1))",
    f'![broken alt](x" onerror="{FLAG})',
    "[data uri](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
    '<a href="  javascript:alert(1)">leading spaces</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab inside scheme</a>',
    f'<body onload="{FLAG}">',
    f'<div onmouseover="{FLAG}">hover me</div>',
    f'<details open ontoggle="{FLAG}"><summary>x</summary></details>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    f"<math><mtext><table><mglyph><style><img src=x onerror={FLAG}>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>send</button></form>',
    f'<input autofocus onfocus="{FLAG}">',
    f'<video><source onerror="{FLAG}"></video>',
    f'<audio src=x onerror="{FLAG}"></audio>',
    f"<scr<script>ipt>{FLAG}</scr</script>ipt>",
    f'"><script>{FLAG}</script>',
    f"`<script>{FLAG}</script>` in inline code",
    f'[title trick](https://example.org "a\\" onmouseover=\\"{FLAG}")',
    f'<a href="https://example.org" onclick="{FLAG}">legit link with handler</a>',
    f'<marquee onstart="{FLAG}">old</marquee>',
    '<base href="javascript:/">',
    f'<x-custom onclick="{FLAG}">custom element</x-custom>',
    "[ok link](https://example.org/ok)",
]


def test_none_of_the_xss_corpus_executes(page, live_server, settings):
    assert len(PAYLOADS) >= 30
    community = CommunityFactory(name="Security", slug="security")
    author, other = make_member(community), make_member(community)
    thread = make_thread(
        author=author,
        community=community,
        kind="discussion",
        title=f"<script>{FLAG}</script> title",
        body="\n\n".join(PAYLOADS[:20]),
        tag_names=[],
    )
    for payload in PAYLOADS:
        post = make_reply(author=other, thread=thread, body=payload)
    vote(voter=author, post=post)
    assert Post.objects.count() == len(PAYLOADS)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/c/security/t/{thread.pk}/")
    page.wait_for_load_state("networkidle")
    # Give every surviving element a chance to fire what it carries.
    page.evaluate(
        """() => document.querySelectorAll('.prose *').forEach((el) => {
            for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'animationstart']) {
                el.dispatchEvent(new Event(type));
            }
        })"""
    )
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "xss_corpus.png"), full_page=True)

    assert dialogs == []
    assert page.evaluate("() => window.__xss") is None
    leftovers = page.evaluate(
        """() => [...document.querySelectorAll('.prose *')].flatMap((el) =>
            [...el.attributes].filter((a) => a.name.startsWith('on') || a.name === 'srcdoc')
              .map((a) => el.tagName + ' ' + a.name))"""
    )
    assert leftovers == []
    assert page.locator(".prose script, .prose iframe, .prose svg, .prose object").count() == 0
    links = page.evaluate(
        """() => [...document.querySelectorAll('.prose a')].map((a) =>
            [a.getAttribute('href'), a.getAttribute('rel')])"""
    )
    assert links, "the corpus holds ordinary links too"
    for href, rel in links:
        assert rel == "nofollow ugc noopener", href
        assert not (href or "").strip().lower().startswith(("javascript", "data", "vbscript"))
