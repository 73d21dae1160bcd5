"""What a learner may submit: the kinds of link (S2) and the check of one link; the LMS's link to
a block. Pure."""
import re
from urllib.parse import quote, urlsplit

from .i18n import N_, Text

# kind → what the form asks for and the error says is expected, as English msgids: word them
# where they are shown (`gettext(KINDS[kind])`), in the reader's language.
# Translators: each phrase completes "Submit …", "Learners paste …" and "Please paste …"
# (in Russian: the accusative, «ссылку на …»).
KINDS = {
    "pull_request": N_("a link to a pull request (GitHub) or merge request (GitLab), "
                       "e.g. https://github.com/you/project/pull/7"),
    # Translators: see "a link to a pull request …".
    "deploy": N_("a link to your deployed site (an http or https page), e.g. https://you.github.io/project/"),
    # Translators: see "a link to a pull request …".
    "any": N_("a link to your work (any http or https address)"),
}
DEFAULT_KIND = "any"
MAX_LENGTH = 2000

_GITHUB_PR = re.compile(r"^/[^/]+/[^/]+/pull/\d+(/.*)?$")
_GITLAB_MR = re.compile(r"^(/[^/]+)+/-/merge_requests/\d+(/.*)?$")
# Hosts that serve source code, not a running site: a deploy link there is a mistake.
_CODE_HOSTS = {"github.com", "www.github.com", "gitlab.com", "www.gitlab.com", "bitbucket.org"}


class LinkError(ValueError):
    """The link is not acceptable; the message (a `Text`) says what is expected, and `str(error)`
    words it in the current language."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message.render()


def check_link(url: object, kind: str) -> str:
    """Return the link, stripped, if it is an acceptable link of `kind`; raise LinkError otherwise."""
    if kind not in KINDS:
        raise ValueError(f"unknown submission kind {kind!r}")
    expected = {"what": Text(KINDS[kind])}
    if not isinstance(url, str) or not url.strip():
        raise LinkError(Text(N_("Please paste %(what)s."), expected))
    url = url.strip()
    if len(url) > MAX_LENGTH:
        raise LinkError(Text(N_("The link is longer than %(max)s characters."), {"max": MAX_LENGTH}))
    if any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
        raise LinkError(Text(N_("The link must not contain spaces or line breaks.")))
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError as err:  # e.g. "https://[x.y": an unclosed IPv6 bracket
        raise LinkError(Text(N_("This is not a valid web address. Please paste %(what)s."), expected)) from err
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise LinkError(Text(N_("This is not a web address. Please paste %(what)s."), expected))
    if "." not in host and host != "localhost" or host.startswith(".") or host.endswith("."):
        raise LinkError(Text(N_("“%(host)s” is not a full host name. Please paste %(what)s."),
                             {**expected, "host": host}))
    if kind == "pull_request" and not _is_pull_request(host, parts.path):
        raise LinkError(Text(N_("This is not a pull request link. Please paste %(what)s."), expected))
    if kind == "deploy" and host in _CODE_HOSTS:
        raise LinkError(Text(N_("This link points to source code, not to a deployed site. "
                                "Please paste %(what)s."), expected))
    return url


def _is_pull_request(host: str, path: str) -> bool:
    if host in ("github.com", "www.github.com"):
        return bool(_GITHUB_PR.match(path))
    # GitLab, including self-hosted instances, marks merge requests with /-/merge_requests/N.
    return bool(_GITLAB_MR.match(path))


def jump_to_path(course_id: str, usage_key: str) -> str:
    """The LMS's stable link to a block, whatever its unit and section are now:
    `/courses/<course id>/jump_to/<usage key>` (the LMS redirects it to the unit, in the learning
    MFE where the site runs it). The keys' own characters (`:`, `+`, `@`) stay as they are."""
    safe = ":+@"
    return f"/courses/{quote(course_id, safe=safe)}/jump_to/{quote(usage_key, safe=safe)}"
