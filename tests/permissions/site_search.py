"""Permission decisions for the site-wide search (/search): open to everyone; the forum's kinds
only for practitioners and above (below, asking for them by name is a 400 with a message)."""

from __future__ import annotations

from tests.permissions import ROLES, RouteCase, everyone

_FORUM_KIND = {role: 200 if ROLES.index(role) >= 2 else 400 for role in ROLES}

CASES = [
    RouteCase("search.site_search", "/search", everyone()),
    RouteCase("search.site_search", "/search?q=pistols", everyone()),
    RouteCase("search.site_search", "/search?q=pistols&kind=cases", everyone()),
    RouteCase("search.site_search", "/search?q=pistols&kind=posts", _FORUM_KIND),
    RouteCase("search.site_search", "/search?q=pistols&kind=library", _FORUM_KIND),
    RouteCase("search.site_search", "/search?q=", everyone(400)),
]
