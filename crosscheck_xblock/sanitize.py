"""Staff-written checklist text may carry the few inline tags the rs files use; nothing else.

Learner-written text is never passed through here: it is always shown as plain text.

The allowed tags are kept, with `href` (http/https) and `title` on links; every other tag is
shown as text, not dropped, because checklists mention tags by name ("the <header> block").
The cleaning itself is nh3's (the Rust ammonia sanitizer; bleach is deprecated). Bare http(s)
links become links; every link opens in a new tab and passes no referrer.
"""
import functools
import html
import re

import nh3

ALLOWED_TAGS = frozenset({"code", "a", "b", "i", "br", "strong", "em"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_PROTOCOLS = frozenset({"http", "https"})

# A start or end tag: `<name …>` or `</name>`. Anything else with a "<" is text.
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
# Any tag in nh3's output (which only has allowed tags left).
_ANY_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")
# An http(s) URL in text; quotes and angle brackets end it (they are markup, or around it).
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,:;!?)]}"
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def _escape_text(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _escape_other_tags(text: str) -> str:
    """`text` with every tag that is not allowed turned into visible text (comments dropped)."""
    text = _COMMENT.sub("", text)
    out, pos = [], 0
    for match in _TAG.finditer(text):
        out.append(_escape_text(text[pos:match.start()]))
        tag = match.group(0)
        out.append(tag if match.group(1).lower() in ALLOWED_TAGS else _escape_text(tag))
        pos = match.end()
    out.append(_escape_text(text[pos:]))
    return "".join(out)


def _link(match: re.Match) -> str:
    url = match.group(0)
    tail = ""
    while url and url[-1] in _TRAILING and not (url[-1] == ")" and url.count("(") >= url.count(")")):
        url, tail = url[:-1], url[-1] + tail
    if "://" not in url or url.endswith("://"):
        return match.group(0)
    return f'<a href="{url}" target="_blank" rel="noopener noreferrer">{url}</a>{tail}'


def _linkify(cleaned: str) -> str:
    """Bare http(s) URLs in the text parts of cleaned HTML as links (not inside a link or code)."""
    out, pos, inside = [], 0, {"a": 0, "code": 0}
    for match in _ANY_TAG.finditer(cleaned):
        text = cleaned[pos:match.start()]
        out.append(text if any(inside.values()) else _URL.sub(_link, text))
        closing, name = match.group(1), match.group(2)
        if name in inside:
            inside[name] = max(inside[name] + (-1 if closing else 1), 0)
        out.append(match.group(0))
        pos = match.end()
    text = cleaned[pos:]
    out.append(text if any(inside.values()) else _URL.sub(_link, text))
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def inline_html(text: str) -> str:
    """`text` as safe HTML: the allowed inline tags kept, everything else escaped; newlines → <br>.
    Remembered per text: the checklist's items are sanitized again on every learner page."""
    cleaned = nh3.clean(_escape_other_tags(text), tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                        url_schemes=set(ALLOWED_PROTOCOLS), link_rel="noopener noreferrer",
                        set_tag_attribute_values={"a": {"target": "_blank"}}, strip_comments=True)
    return _linkify(cleaned).replace("\r\n", "\n").replace("\n", "<br>")


def public_items(items: list[dict]) -> list[dict]:
    """Checklist items for the page: each gets `html`, the sanitized form of its `text`."""
    return [{**item, "html": inline_html(item["text"])} for item in items]


def plain_text(text: str) -> str:
    """`text` without its tags, as plain text for a place that shows text only (e.g. an item's
    name in a list); the page sets it with textContent."""
    return html.unescape(nh3.clean(_escape_other_tags(text), tags=set()))
