"""Staff-written checklist text may carry the few inline tags the rs files use; nothing else.

Learner-written text is never passed through here: it is always shown as plain text.
"""
import html

import bleach

ALLOWED_TAGS = ["code", "a", "b", "i", "br", "strong", "em"]
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = ["http", "https"]


def _link_attributes(attrs, new=False):  # pylint: disable=unused-argument
    """Links open in a new tab and pass no referrer to the learner's work."""
    attrs[(None, "target")] = "_blank"
    attrs[(None, "rel")] = "noopener noreferrer"
    return attrs


def inline_html(text: str) -> str:
    """`text` as safe HTML: the allowed inline tags kept, everything else escaped; newlines → <br>."""
    cleaned = bleach.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                           protocols=ALLOWED_PROTOCOLS, strip=False)
    cleaned = bleach.linkify(cleaned, callbacks=[_link_attributes], skip_tags=["code"], parse_email=False)
    return cleaned.replace("\r\n", "\n").replace("\n", "<br>")


def public_items(items: list[dict]) -> list[dict]:
    """Checklist items for the page: each gets `html`, the sanitized form of its `text`."""
    return [{**item, "html": inline_html(item["text"])} for item in items]


def plain_text(text: str) -> str:
    """`text` without its tags, as plain text for a place that shows text only (e.g. an item's
    name in a list); the page sets it with textContent."""
    return html.unescape(bleach.clean(text, tags=[], strip=True))
