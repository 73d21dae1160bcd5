"""A Babel extractor for the block's templates: each `{% trans "…" %}` mark, as
crosscheck_xblock.pages renders them (a `{# Translators: … #}` comment just before one goes
into the catalog beside it)."""
import re

from crosscheck_xblock.pages import TRANS_MARK

COMMENT = re.compile(r"\{#\s*Translators:(?P<text>.*?)#\}", re.S)


def extract(fileobj, keywords, comment_tags, options):  # noqa: ARG001 - Babel's signature
    """Yield (line, funcname, message, comments) for every mark of a template."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    notes = {source.count("\n", 0, m.end()) + 1: m.group("text").strip() for m in COMMENT.finditer(source)}
    for match in TRANS_MARK.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        comment = notes.get(line - 1) or notes.get(line)
        yield line, "trans", match.group("text"), [comment] if comment else []
