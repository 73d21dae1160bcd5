"""What every page of the block (learner page, Studio editor, Studio preview) is built from.

- Templates are HTML with `{% trans "…" %}` marks, worded in the request's language (the marks
  are what `make translations` extracts; the text is escaped, so a translation cannot inject
  markup). Nothing else is templated: data travels as an escaped JSON script element.
- The page's scripts come after the JS catalog of the reader's language: the platform's compiled
  one where the LMS has it (OEP-58), else the one shipped in `public/js/translations/`, the way
  Open edX XBlocks ship theirs. The scripts read it as `CrossCheckI18N` (common.js `t`, `nt`).
- The block's pages link their stylesheet and scripts (`static/`) by the runtime's
  `local_resource_url`, which the block's `open_local_resource` answers for those files (SERVED)
  besides `public/`: browsers keep them, and a page carries only its HTML and state.
- The plugin's own pages (the course overview, views.py) are whole documents with the stylesheet,
  the packaged JS catalog and the scripts inline: they need no static files served by the LMS.
"""
import functools
import hashlib
import html
import os
import re
import time
from importlib import resources

from web_fragments.fragment import Fragment

from . import compat, i18n

TRANS_MARK = re.compile(r"""\{%\s*(?:trans|translate)\s+(?P<q>["'])(?P<text>.*?)(?P=q)\s*%\}""", re.S)


# A file's modification time is looked at again at most this often (seconds): a learner page
# has a dozen files, and finding and stat-ing each one on every render was a millisecond of it.
RECHECK_SECONDS = 1.0
_versions: dict[str, tuple[float, object, object]] = {}  # name -> (checked at, path, version)


def package_text(name: str) -> str:
    """A file of the package, as text: read once, and again only when the file changed (looked
    at no more than once a RECHECK_SECONDS; a learner page has a dozen of them, its stylesheet,
    scripts and template)."""
    now = time.monotonic()
    known = _versions.get(name)
    if known is not None and now - known[0] < RECHECK_SECONDS:
        return _read(known[1], known[2])
    path = resources.files("crosscheck_xblock").joinpath(name)
    try:
        version = os.stat(path).st_mtime_ns
    except TypeError:  # a package not unpacked on disk (a zip): its files cannot change
        version = None
    _versions[name] = (now, path, version)
    return _read(path, version)


@functools.lru_cache(maxsize=256)
def _read(path, _version) -> str:
    return path.read_text(encoding="utf-8")


def render_template(name: str) -> str:
    """The template `templates/<name>` with each `{% trans "…" %}` in the current language."""
    return TRANS_MARK.sub(lambda match: html.escape(i18n.gettext(match.group("text"))),
                      package_text(f"templates/{name}"))


def javascript_catalog(language: str) -> str | None:
    """The package's JS catalog for `language` (a resource path), or None (English needs none)."""
    if language == i18n.DEFAULT_LANGUAGE:
        return None
    path = f"public/js/translations/{language}/djangojs.js"
    return path if resources.files("crosscheck_xblock").joinpath(path).is_file() else None


# The files a runtime may serve to browsers besides public/ (the block's open_local_resource).
SERVED = re.compile(r"static/(?:js/[a-z_]+\.js|css/[a-z_]+\.css)")


def resource_url(block, name: str) -> str:
    """The URL the runtime serves the package file `name` at (local_resource_url), with the
    file's digest in the query: a browser keeps it until the file changes."""
    return f"{block.runtime.local_resource_url(block, name)}?v={_digest(package_text(name))}"


@functools.lru_cache(maxsize=256)
def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def fragment(block, css: str, scripts: tuple[str, ...]) -> Fragment:
    """A fragment with the stylesheet `static/css/<css>`, the JS catalog of the current
    language, then the scripts `static/js/<name>` in order, each by its URL (issue 15: inline,
    they were 277 kB in every page, which no browser could keep; ora2 links its files too)."""
    frag = Fragment()
    frag.add_css_url(resource_url(block, f"static/css/{css}"))
    catalog_url = compat.javascript_catalog_url(block, javascript_catalog(i18n.language()))
    if catalog_url:
        frag.add_javascript_url(catalog_url)
    for name in scripts:
        frag.add_javascript_url(resource_url(block, f"static/js/{name}"))
    return frag


COURSE_PAGE_JS = ("common.js", "overview.js")


def _inline_script(source: str) -> str:
    # "</script" inside a script would end it early; "<\/" means the same in JS strings.
    return "<script>" + source.replace("</script", "<\\/script") + "</script>"


def course_page(init_tag: str, back_url: str) -> str:
    """The course overview page (templates/course_overview.html) in the current language, with
    `init_tag` (the escaped JSON of its data) and the link back to the course."""
    language = i18n.language()
    catalog = javascript_catalog(language)
    scripts = [package_text(catalog)] if catalog else []
    scripts += [package_text(f"static/js/{name}") for name in COURSE_PAGE_JS]
    scripts.append("CrossCheckOverview.page(document.querySelector('.cc-course-page'));")  # i18n: code
    return (render_template("course_overview.html")
            .replace("__LANGUAGE__", html.escape(language, quote=True))
            .replace("__BACK_URL__", html.escape(back_url, quote=True))
            .replace("/*CSS*/", package_text("static/css/crosscheck.css"))
            .replace("<!--INIT-->", init_tag)
            .replace("<!--SCRIPTS-->", "\n".join(_inline_script(source) for source in scripts)))
