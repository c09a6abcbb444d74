"""Known cross-site scripting payloads, and a checker that a rendered page carries none of them.

The payloads come from the usual public cheat sheets (OWASP XSS filter evasion, PortSwigger's
XSS cheat sheet): script tags, event handlers, javascript:/data: URLs, SVG and MathML tricks,
broken markup, Markdown link and image tricks, attribute breaking and encoded variants. Each one
is fed through every field a user controls; the checker parses the page with html.parser and
fails on any executable markup that reached it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS: list[str] = [
    # Script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\x20type='text/javascript'>alert(1);</script>",
    "<<script>alert(1);//<</script>",
    # Event handlers
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="x" ONERROR="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>",
    # javascript: URLs
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table>",
    '<math href="javascript:alert(1)">click</math>',
    # data: URLs
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    # Broken markup
    '<img src="x" "onerror=alert(1)">',
    "<img/src/onerror=alert(1)>",
    '<p title="</p><script>alert(1)</script>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    # Markdown link and image tricks
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](javascript&#58;alert(1))",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.org/x.png)',
    '[x](https://example.org/"onmouseover="alert(1))',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<https://example.org/"><script>alert(1)</script>>',
    "[a]: javascript:alert(1)\n\n[link][a]",
    'Text{: onclick="alert(1)"}',
    '[x](https://example.org){: onmouseover="alert(1)" }',
    # Attribute breaking (for plain-text fields placed inside attributes)
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    # Encoded variants
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "\u00abscript\u00bbalert(1)\u00ab/script\u00bb<script>alert(1)</script>",
]

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "form",
    "style",
    "frame",
    "frameset",
    "applet",
    "animate",
    "set",
    "noscript",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"}
_SCHEME_RE = re.compile(r"^\s*([a-z][a-z0-9+.\-]*)\s*:", re.IGNORECASE)
_STRIP_RE = re.compile(r"[\x00-\x20]")


def _own_script(attrs: list[tuple[str, str | None]]) -> bool:
    """The site's own script file (the forum editor): served from /static/, never inline (the
    CSP allows nothing else; sanitised posts never keep a <script>)."""
    values = dict(attrs)
    return (values.get("src") or "").startswith("/static/") and set(values) <= {"src", "defer"}


class _Inspector(HTMLParser):
    """Collect every executable construct found in a page."""

    def __init__(self, allowed_tags: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and _own_script(attrs):
            return
        if tag in DANGEROUS_TAGS and tag not in self.allowed_tags:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.problems.append("<meta http-equiv> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                # Browsers drop tabs and newlines inside a scheme: "jav\tascript:".
                match = _SCHEME_RE.match(_STRIP_RE.sub("", value))
                if match and match.group(1).lower() in {"javascript", "vbscript", "data"}:
                    self.problems.append(f"{name}={value!r} on <{tag}>")


def executable_markup(html: str, allowed_tags: frozenset[str] = frozenset()) -> list[str]:
    """List the executable constructs in a page: script elements, on* attributes, bad URLs.

    `allowed_tags` names dangerous-looking tags the site itself uses (e.g. its own <form>s),
    which are then not reported as elements (their attributes still are).
    """
    inspector = _Inspector(allowed_tags)
    inspector.feed(html)
    inspector.close()
    return inspector.problems
