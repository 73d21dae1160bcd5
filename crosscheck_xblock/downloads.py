"""The staff CSV downloads (`staff_export`): what each kind reads, and the signed link that streams it.

Why a link: the LMS's handler view and xblock-sdk's end with `webob_to_django_response`, which
copies a handler's answer into a plain `django.http.HttpResponse`: the whole CSV is read into
memory before its first byte leaves, however lazily the handler made it. So `staff_export` checks
who asks and what (the same 400 and 403 answers as ever), then answers `302 Found` to the plugin's
own view `/crosscheck/exports/<token>/` (views.export_download), whose `StreamingHttpResponse`
sends the CSV as it is read, CHUNK works at a time (services/exports.py).

The token is `django.core.signing` (the site's SECRET_KEY, a salt of its own, a timestamp,
compressed): it carries the block's usage key, the kind and its options (stable header names, the
selected work ids), the reader's language and who asked (the site-wide user key, `user:<id>` in
the LMS). It is signed, not encrypted: anyone holding the link can read those, and nothing about
learners is in it (work ids staff chose; no names). It lasts CROSSCHECK_EXPORT_LINK_SECONDS
(default 300) and works only for the user it was made for, when the runtime named one.

Where no link can be made (the plugin's URLs are not installed, so `crosscheck:export_download`
does not reverse; or a big best-works selection would make a link longer than MAX_LINK_LENGTH,
which proxies refuse in a Location header) the handler answers the CSV itself, as before: a
download that is buffered by the runtime still beats a broken one.
"""
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse

from . import services
from .errors import NotAllowed
from .i18n import gettext

KINDS = ("grades", "reviews", "best_works", "reviewer_ratings")
SALT = "crosscheck_xblock.downloads"
DEFAULT_LINK_SECONDS = 300
# A Location header longer than this is refused by some proxies (nginx's upstream header buffer
# is 4 kB by default, with the other headers in it).
MAX_LINK_LENGTH = 2000
CONTENT_TYPE = "text/csv; charset=utf8"


def link_seconds() -> int:
    """How long a download link is good for (CROSSCHECK_EXPORT_LINK_SECONDS, at least 1 s)."""
    return max(1, int(getattr(settings, "CROSSCHECK_EXPORT_LINK_SECONDS", DEFAULT_LINK_SECONDS)))


def request_of(usage_key: str, kind: str, keys: bool, selection: list[int] | None, language: str,
               user: str | None) -> dict:
    """What a download link carries (plain JSON values)."""
    return {"block": usage_key, "kind": kind, "keys": bool(keys), "selection": selection, "language": language,
            "user": user}


def link(request: dict, link_query: str = "") -> str | None:
    """The signed path of the download `request` (with what the viewer's links carry, the
    workbench's `?student=NAME`), or None where the plugin's view is not installed or the link
    would be too long."""
    token = signing.dumps(request, salt=SALT, compress=True)
    try:
        path = reverse("crosscheck:export_download", args=[token])
    except NoReverseMatch:
        return None
    url = path + link_query
    return url if len(url) <= MAX_LINK_LENGTH else None


def read(token: str) -> dict:
    """The download a token asks for; NotAllowed `expired_download_link` past its age,
    `bad_download_link` for a token that is not ours, was changed or does not say what to download."""
    try:
        request = signing.loads(token, salt=SALT, max_age=link_seconds())
    except signing.SignatureExpired as err:
        raise NotAllowed(gettext("This download link has expired; download the export again from the staff "
                                 "page."), "expired_download_link") from err
    except signing.BadSignature as err:
        raise _not_valid() from err
    selection = request.get("selection") if isinstance(request, dict) else None
    if (not isinstance(request, dict) or request.get("kind") not in KINDS or not isinstance(request.get("block"), str)
            or not (selection is None or (isinstance(selection, list)
                                          and all(isinstance(item, int) for item in selection)))):
        # Signed by us, so only an older or a foreign use of the salt could get here.
        raise _not_valid()
    return request


def _not_valid() -> NotAllowed:
    return NotAllowed(gettext("This download link is not valid; download the export again from the staff page."),
                      "bad_download_link")


def pieces(task: services.TaskRef, request: dict, now: datetime):
    """The CSV of `request` as text pieces: grades and reviews a chunk of works at a time, the
    other two whole (a course's reviewer ratings, the best works page are computed at once). The
    header row is worded now, in the active language; later pieces when the answer is read."""
    kind, keys = request["kind"], bool(request.get("keys"))
    if kind == "grades":
        return services.grades_stream(task, keys=keys)
    if kind == "reviews":
        return services.reviews_stream(task, keys=keys)
    if kind == "best_works":
        return [services.best_works_csv(task, keys=keys, selection=request.get("selection"))]
    return [services.reviewer_ratings_csv(task, now, keys=keys)]


def headers(kind: str) -> dict[str, str]:
    """The download's headers besides its type, the same from the link's view and from the
    handler's own answer: its file name, and no shared cache keeps staff's data."""
    return {"Content-Disposition": f'attachment; filename="crosscheck-{kind}.csv"',
            "Cache-Control": "private, no-store"}
