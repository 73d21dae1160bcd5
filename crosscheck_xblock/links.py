"""What a learner may submit: the kinds of link (S2) and the check of one link. Pure."""
import re
from urllib.parse import urlsplit

# kind → (what the form asks for, what the error says is expected)
KINDS = {
    "pull_request": "a link to a pull request (GitHub) or merge request (GitLab), "
                    "e.g. https://github.com/you/project/pull/7",
    "deploy": "a link to your deployed site (an http or https page), e.g. https://you.github.io/project/",
    "any": "a link to your work (any http or https address)",
}
DEFAULT_KIND = "any"
MAX_LENGTH = 2000

_GITHUB_PR = re.compile(r"^/[^/]+/[^/]+/pull/\d+(/.*)?$")
_GITLAB_MR = re.compile(r"^(/[^/]+)+/-/merge_requests/\d+(/.*)?$")
# Hosts that serve source code, not a running site: a deploy link there is a mistake.
_CODE_HOSTS = {"github.com", "www.github.com", "gitlab.com", "www.gitlab.com", "bitbucket.org"}


class LinkError(ValueError):
    """The link is not acceptable; the message says what is expected."""


def check_link(url: object, kind: str) -> str:
    """Return the link, stripped, if it is an acceptable link of `kind`; raise LinkError otherwise."""
    if kind not in KINDS:
        raise ValueError(f"unknown submission kind {kind!r}")
    if not isinstance(url, str) or not url.strip():
        raise LinkError(f"Please paste {KINDS[kind]}.")
    url = url.strip()
    if len(url) > MAX_LENGTH:
        raise LinkError(f"The link is longer than {MAX_LENGTH} characters.")
    if any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
        raise LinkError("The link must not contain spaces or line breaks.")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError as err:  # e.g. "https://[x.y": an unclosed IPv6 bracket
        raise LinkError(f"This is not a valid web address. Please paste {KINDS[kind]}.") from err
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise LinkError(f"This is not a web address. Please paste {KINDS[kind]}.")
    if "." not in host and host != "localhost" or host.startswith(".") or host.endswith("."):
        raise LinkError(f"“{host}” is not a full host name. Please paste {KINDS[kind]}.")
    if kind == "pull_request" and not _is_pull_request(host, parts.path):
        raise LinkError(f"This is not a pull request link. Please paste {KINDS[kind]}.")
    if kind == "deploy" and host in _CODE_HOSTS:
        raise LinkError(f"This link points to source code, not to a deployed site. "
                        f"Please paste {KINDS[kind]}.")
    return url


def _is_pull_request(host: str, path: str) -> bool:
    if host in ("github.com", "www.github.com"):
        return bool(_GITHUB_PR.match(path))
    # GitLab, including self-hosted instances, marks merge requests with /-/merge_requests/N.
    return bool(_GITLAB_MR.match(path))
