"""The block's pages link their scripts and stylesheet (issue 15): the runtime serves them at
`local_resource_url` through the block's `open_local_resource`, which answers the pages' files
under static/ and XBlock's public/, and nothing else."""
import re
from importlib import resources

import pytest

from crosscheck_xblock import pages
from crosscheck_xblock.block import LEARNER_JS

pytestmark = [pytest.mark.db, pytest.mark.django_db]
PACKAGE = resources.files("crosscheck_xblock")


def _linked(html):
    """The URLs of the page's scripts and stylesheets that point at the block's own files."""
    return re.findall(r"""(?:src|href)=["']([^"']*/static/(?:js|css)/[^"']+)["']""", html)


def test_the_learner_page_links_every_script_and_the_stylesheet(make_block):
    block = make_block('reviews_per_work="2"')
    html = block.page("alice")
    urls = _linked(html)
    names = [re.search(r"static/(?:js|css)/[^?]+", url).group(0) for url in urls]
    assert names == ["static/css/crosscheck.css", *(f"static/js/{name}" for name in LEARNER_JS)]
    for url, name in zip(urls, names):
        answer = block.client.get(url)
        assert answer.status_code == 200, url
        assert b"".join(answer) == PACKAGE.joinpath(name).read_bytes()
        assert answer["Content-Type"].startswith("text/css" if name.endswith(".css") else
                                                  ("text/javascript", "application/javascript"))
        # The query names the file's content, so a browser keeps it until the file changes.
        assert url.endswith("?v=" + pages._digest(pages.package_text(name)))
    # None of the scripts' text is in the page itself any more: it carries its HTML and state.
    assert "var CrossCheckCommon" not in html and len(html) < 60_000, len(html)


def test_the_runtime_serves_nothing_else(make_block):
    block = make_block('reviews_per_work="2"')
    base = _linked(block.page("alice"))[0].split("/static/")[0]
    for path in ("templates/crosscheck.html", "block.py", "static/js/../block.py", "static/js/nothing.js",
                 "static/css/crosscheck.js", "settings.py"):
        assert block.client.get(f"{base}/{path}").status_code == 404, path
    # XBlock's own public/ still works: the JS catalog of the Russian page.
    assert block.client.get(f"{base}/public/js/translations/ru/djangojs.js").status_code == 200
