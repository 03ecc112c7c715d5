"""Variants of crawled URLs that a person editing the address bar, or a bot, would send."""

import re
from urllib.parse import parse_qsl, urlencode

from .crawler import route_of

# Not a number, negative, out of range, markup that must come back escaped, too long.
JUNK_VALUES = ("x", "-1", "99999", "<b>tampered</b>", "é" * 300)
MARKUP = "<b>tampered</b>"
# 0 matches nothing; the huge one overflows a 64-bit integer column.
JUNK_IDS = ("0", "99999999999999999999")
ID_SEGMENT = re.compile(r"/\d+(?=/|\.)")


def tampered_urls(urls: list[str]) -> list[str]:
    """Once per route: each id replaced by junk; once per route and query key: each
    value replaced by junk, the other parameters kept."""
    tampered: list[str] = []
    routes: set[str] = set()
    keys: set[tuple[str, str]] = set()
    for url in urls:
        path, _, query = url.partition("?")
        route = route_of(path)
        if route not in routes and ID_SEGMENT.search(path):
            tampered += [ID_SEGMENT.sub(f"/{junk}", path, count=1) for junk in JUNK_IDS]
        routes.add(route)
        params = parse_qsl(query, keep_blank_values=True)
        for key in dict(params):
            if (route, key) in keys:
                continue
            keys.add((route, key))
            for junk in JUNK_VALUES:
                changed = [(k, junk if k == key else v) for k, v in params]
                tampered.append(f"{path}?{urlencode(changed)}")
    return tampered
