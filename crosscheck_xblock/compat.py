"""Every touch of the surrounding platform (LMS, Studio, workbench), in one place.

Platform modules are imported lazily, inside the function that needs them, so the package
imports (and its tests run) without edx-platform. What each function relies on:

- The LMS's user service (edx-platform `DjangoXBlockUserService`) exposes the learner's
  anonymous id, username and staff status as optional attributes of the current user.
- Studio and its preview render the block in author mode (`runtime.is_author_mode`).
- "View as a specific learner" (masquerade) hands the user service the learner's Django user,
  with the staff member's own user as its `real_user` (lms/djangoapps/courseware/masquerade.py,
  `setup_masquerade`; edx-platform's SafeSessionMiddleware relies on the same attribute).
- Publishing a course sends `SignalHandler.course_published` in Studio, and the modulestore
  gives the published version of its blocks.
- A page of the plugin (the course overview, an export's download link) knows the user from the
  session (`request.user`; site-wide `user:<id>`, the id the user service gives as `user_id`):
  their course-specific anonymous id is `anonymous_id_for_user(user, course_key)`, the id the
  LMS's XBlock user service gives the block; enrolment is `CourseEnrollment.is_enrolled`
  and course staff `has_access(user, "staff", course_key)`. `/courses/<course id>/jump_to/<usage
  key>` is the LMS's stable link to a block.
The workbench (workbench/cc_workbench) provides stand-ins speaking the same protocol; where no
runtime is there to speak it (the course page), the setting CROSSCHECK_PLATFORM_STANDINS names a
module whose `course_viewer(request, course_id)`, `request_user_key(request)`,
`unit_url(usage_key, course_id)`, `course_home_url(course_id)` and `login_url(request)` replace
the LMS's (the workbench's users and pages are named in the URL, not in a session).
"""
import logging
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from . import links
from .errors import NotAllowed, NotFound
from .i18n import gettext

log = logging.getLogger(__name__)

ANONYMOUS_ID = "edx-platform.anonymous_user_id"
IS_AUTHENTICATED = "edx-platform.is_authenticated"
IS_STAFF = "edx-platform.user_is_staff"
USERNAME = "edx-platform.username"
# The workbench's stand-in user service adds what links to the learner's other pages carry (its
# users are chosen with ?student=NAME); the LMS has no such attribute (the session says who it is).
LINK_QUERY = "xblock-workbench.link_query"
BLOCK_TYPE = "crosscheck"


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the block: the anonymous id scores and works are keyed by.

    `masquerading` is true when course staff view the course as this learner: the page is the
    learner's, but read-only. `link_query` is what links to this person's other pages carry
    ("" in the LMS; the workbench's "?student=NAME").
    """

    student_id: str | None
    username: str
    is_staff: bool
    masquerading: bool = False
    link_query: str = ""


def current_viewer(block) -> Viewer:
    """The person behind the current request, as far as the runtime tells."""
    service = block.runtime.service(block, "user")
    user = service.get_current_user() if service else None
    attrs = getattr(user, "opt_attrs", {}) or {}
    if attrs.get(IS_AUTHENTICATED) is False:
        return Viewer(student_id=None, username="", is_staff=False)
    student_id = attrs.get(ANONYMOUS_ID) or getattr(block.runtime, "anonymous_student_id", None)
    return Viewer(
        student_id=str(student_id) if student_id else None,
        username=str(attrs.get(USERNAME) or ""),
        is_staff=bool(attrs.get(IS_STAFF, False)),
        masquerading=_masquerading(service),
        link_query=str(attrs.get(LINK_QUERY) or ""),
    )


def current_email(block) -> str:
    """The e-mail address of the person behind the request, if the user service tells it (the
    LMS's `DjangoXBlockUserService` and the workbench's stand-in fill `XBlockUser.emails`), else ""."""
    service = block.runtime.service(block, "user")
    user = service.get_current_user() if service else None
    emails = getattr(user, "emails", None) or []
    return str(emails[0]) if emails else ""


def _masquerading(service) -> bool:
    """True when the user service's Django user is a learner that staff masquerade as."""
    django_user = getattr(service, "_django_user", None)
    real_user = getattr(django_user, "real_user", None)
    return real_user is not None and real_user is not django_user


def in_author_mode(block) -> bool:
    """True in Studio and in Studio's preview: there the block shows a static preview and
    refuses every learner and staff action (nothing may touch the live task)."""
    return bool(getattr(block.runtime, "is_author_mode", False))


def usage_key(block) -> str:
    """The block's usage key as a string: the task's identity and edx-submissions' item_id."""
    return str(block.scope_ids.usage_id)


def course_id(block) -> str:
    """The course key; the workbench has no courses, so a setting names a stand-in one."""
    key = getattr(block.scope_ids.usage_id, "context_key", None)
    if key is not None:
        return str(key)
    return getattr(settings, "CROSSCHECK_FALLBACK_COURSE_ID", "course-v1:Workbench+CrossCheck+Demo")


# ---------------------------------------------------------------- publishing (Studio)

def published_blocks(course_key: str) -> list:
    """The published version of every cross-check block of a course (from the modulestore)."""
    from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415 - edx-platform only
    from xmodule.modulestore import ModuleStoreEnum  # noqa: PLC0415
    from xmodule.modulestore.django import modulestore  # noqa: PLC0415

    key = CourseKey.from_string(str(course_key))
    store = modulestore()
    with store.branch_setting(ModuleStoreEnum.Branch.published_only, key):
        return list(store.get_items(key, qualifiers={"category": BLOCK_TYPE}))


def connect_course_published(receiver) -> bool:
    """Connect `receiver(sender, course_key, **kwargs)` to Studio's course_published signal;
    False where there is no modulestore (the workbench, the tests, an LMS-only process)."""
    try:
        from xmodule.modulestore.django import SignalHandler  # noqa: PLC0415
    except ImportError:
        return False
    SignalHandler.course_published.connect(receiver, weak=False,
                                           dispatch_uid="crosscheck_xblock.course_published")
    return True


# ---------------------------------------------------------------- language

def i18n_service(block):
    """The runtime's i18n service for the block (the LMS's and Studio's XBlockI18nService load
    this package's catalogs in the request's language), or None."""
    return block.runtime.service(block, "i18n")


def current_language() -> str:
    """The request's language, as Django's LocaleMiddleware (LMS, Studio, workbench) chose it."""
    from django.utils import translation  # noqa: PLC0415 - settings may not be configured yet

    return translation.get_language() or settings.LANGUAGE_CODE


def javascript_catalog_url(block, packaged: str | None) -> str | None:
    """Where the page loads the block's JS catalog: the platform's compiled one (OEP-58: the
    i18n service of Redwood and later answers `get_javascript_i18n_catalog_url`), else the
    one shipped in the package (`packaged`, a resource path), else None (English)."""
    service = i18n_service(block)
    getter = getattr(service, "get_javascript_i18n_catalog_url", None)
    if getter is not None:
        url = getter(block)
        if url:
            return url
    return block.runtime.local_resource_url(block, packaged) if packaged else None


def studio_url(block) -> str | None:
    """Where course staff edit this block: the runtime's own answer if it has one (the
    workbench's), else Studio's page of the block's unit on the site's CMS (`CMS_BASE`, the LMS
    setting), else None."""
    own = getattr(block.runtime, "studio_url", None)
    if callable(own):
        return own(block)
    base, parent = getattr(settings, "CMS_BASE", ""), getattr(block, "parent", None)
    return f"//{base}/container/{parent}" if base and parent else None


# ---------------------------------------------------------------- the course overview (S4)

def _standins():
    """The module of stand-ins named by CROSSCHECK_PLATFORM_STANDINS (the workbench's), or None."""
    name = getattr(settings, "CROSSCHECK_PLATFORM_STANDINS", "")
    return import_module(name) if name else None


def course_viewer(request, course_id: str) -> Viewer | None:
    """Who asks for a course page of the plugin: None when nobody is signed in. Raises NotFound
    for a course id that is not a course key, NotAllowed for a user neither enrolled in the
    course nor its staff."""
    standins = _standins()
    if standins is not None:
        return standins.course_viewer(request, course_id)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from common.djangoapps.student.models import anonymous_id_for_user  # noqa: PLC0415 - edx-platform only

    key = _course_key(course_id)
    is_staff = _course_staff(user, key)
    if not is_staff and not _enrolled(user, key):
        raise NotAllowed(gettext("You are not enrolled in this course."), "not_enrolled")
    return Viewer(student_id=anonymous_id_for_user(user, key), username=user.username, is_staff=is_staff)


def request_user_key(request) -> str | None:
    """The signed-in user of a plugin page's request, site-wide, as `site_user_key` names the user
    of a block's request (`user:<id>` in the LMS, from the session), or None for a visitor."""
    standins = _standins()
    if standins is not None:
        return standins.request_user_key(request)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return f"user:{user.pk}"


def may_see_course(user, course_key) -> bool:
    """True for a signed-in user enrolled in the course or on its staff (the course tab's rule,
    as the LMS's EnrolledTab has it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return _course_staff(user, course_key) or _enrolled(user, course_key)


def _course_key(course_id: str):
    from opaque_keys import InvalidKeyError  # noqa: PLC0415 - edx-platform only
    from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415

    try:
        return CourseKey.from_string(course_id)
    except InvalidKeyError as err:
        raise NotFound(gettext("There is no such course."), "unknown_course") from err


def _course_staff(user, course_key) -> bool:
    from lms.djangoapps.courseware.access import has_access  # noqa: PLC0415 - edx-platform only

    return bool(has_access(user, "staff", course_key))


def _enrolled(user, course_key) -> bool:
    from common.djangoapps.student.models import CourseEnrollment  # noqa: PLC0415 - edx-platform only

    return bool(CourseEnrollment.is_enrolled(user, course_key))


def unit_url(usage_key: str, course_id: str, viewer: Viewer) -> str:
    """The link to a block's unit for this viewer: `unit_link`, with what the viewer's links carry."""
    return unit_link(course_id, usage_key) + viewer.link_query


def course_page_url(course_id: str, viewer: Viewer) -> str | None:
    """The plugin's course overview page of the course for this viewer, or None where the
    plugin's URLs are not installed (Studio, which has no such page)."""
    try:
        path = reverse("crosscheck:course_overview", args=[course_id])
    except NoReverseMatch:
        return None
    return path + viewer.link_query


def course_home_url(course_id: str, viewer: Viewer | None) -> str:
    """The course's home page (the LMS redirects `/courses/<id>/course/` to the learning MFE)."""
    standins = _standins()
    path = standins.course_home_url(course_id) if standins is not None else f"/courses/{course_id}/course/"
    return path + (viewer.link_query if viewer is not None else "")


def login_url(request) -> str | None:
    """Where to sign in and come back to this page (the LMS's LOGIN_URL with `next`), or None."""
    standins = _standins()
    if standins is not None:
        return standins.login_url(request)
    from django.contrib.auth.views import redirect_to_login  # noqa: PLC0415 - needs the apps loaded

    return redirect_to_login(request.get_full_path())["Location"]


# ---------------------------------------------------------------- notices (issue 14)

USER_ID = "edx-platform.user_id"


def site_user_key(block) -> str | None:
    """The current user, site-wide (not per course): what notification settings and, later, a
    linked Telegram chat are keyed by. The LMS's user service gives the user's id
    (`edx-platform.user_id`); the workbench's stand-in gives its username there. None for a
    visitor who is not signed in."""
    service = block.runtime.service(block, "user")
    user = service.get_current_user() if service else None
    attrs = getattr(user, "opt_attrs", {}) or {}
    if attrs.get(IS_AUTHENTICATED) is False or attrs.get(USER_ID) in (None, ""):
        return None
    return f"user:{attrs[USER_ID]}"


def course_enrollments(course_id: str) -> list[str]:
    """The anonymous ids (the ids works are keyed by) of the course's actively enrolled learners,
    so that the timed notices (N1–N3) reach learners who never opened the block.

    LMS: `CourseEnrollment.objects.users_enrolled_in(course_key)` (active enrolments) and
    `anonymous_id_for_user(user, course_key)`, both of common.djangoapps.student.models. The
    workbench names a stand-in in the setting CROSSCHECK_ENROLLMENTS (a dotted path to a function
    of the course id). Anywhere else (tests without either): nobody.
    """
    standin = getattr(settings, "CROSSCHECK_ENROLLMENTS", None)
    if standin:
        from django.utils.module_loading import import_string  # noqa: PLC0415

        return [str(student_id) for student_id in import_string(standin)(course_id)]
    try:
        from common.djangoapps.student.models import CourseEnrollment, anonymous_id_for_user  # noqa: PLC0415
        from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415
    except ImportError:
        return []
    key = CourseKey.from_string(str(course_id))
    return [str(anonymous_id_for_user(user, key)) for user in CourseEnrollment.objects.users_enrolled_in(key)]


def unit_link(course_id: str, usage_key: str) -> str:
    """Where a notice or the course overview sends the learner: the unit of the block. LMS:
    `/courses/<course>/jump_to/<usage key>` (links.jump_to_path; absolute with the LMS_ROOT_URL
    setting, for messages read outside the site); the workbench (its stand-ins, setting
    CROSSCHECK_PLATFORM_STANDINS): the scenario page the block is in."""
    standins = _standins()
    if standins is not None:
        return standins.unit_url(usage_key, course_id)
    root = str(getattr(settings, "LMS_ROOT_URL", "") or "").rstrip("/")
    return root + links.jump_to_path(course_id, usage_key)


@cache
def _lms_model(module: str, name: str):
    """An edx-platform model class, or None outside the LMS. Looked up once per process: a
    failed import is not remembered by Python, and user_preferences runs on every get_state."""
    try:
        return getattr(import_module(module), name)
    except ImportError:
        return None


def user_keys(course_id: str, student_ids) -> dict[str, str]:
    """{anonymous id: site-wide user key} for the learners of `student_ids` in the course: whom a
    notice (keyed by the anonymous id) goes to in Telegram (linked per user, site-wide).

    LMS: `AnonymousUserId` rows (common.djangoapps.student.models; the LMS writes one whenever
    it hands out an anonymous id), in one query, as `user:<id>` like site_user_key. The workbench
    names a stand-in in the setting CROSSCHECK_USER_KEYS (a function of the course id and the
    ids). Anywhere else: nobody (no notice leaves the block)."""
    student_ids = [str(student_id) for student_id in student_ids if student_id]
    if not student_ids:
        return {}
    standin = getattr(settings, "CROSSCHECK_USER_KEYS", None)
    if standin:
        from django.utils.module_loading import import_string  # noqa: PLC0415

        return dict(import_string(standin)(course_id, student_ids))
    AnonymousUserId = _lms_model("common.djangoapps.student.models", "AnonymousUserId")
    if AnonymousUserId is None:
        return {}
    rows = AnonymousUserId.objects.filter(anonymous_user_id__in=student_ids).values_list(
        "anonymous_user_id", "user_id")
    return {str(anonymous): f"user:{user_id}" for anonymous, user_id in rows}


def user_preferences(keys) -> dict[str, dict]:
    """{user key: {"language": …, "time_zone": …}} from the LMS's account settings (the
    `pref-lang` and `time_zone` user preferences), where a user set them; {} elsewhere. A
    notice sent outside a request is worded in this language and zone."""
    ids = {key: key.split(":", 1)[1] for key in keys if isinstance(key, str) and key.startswith("user:")}
    if not ids:
        return {}
    UserPreference = _lms_model("openedx.core.djangoapps.user_api.models", "UserPreference")
    if UserPreference is None:
        return {}
    numeric = {value: key for key, value in ids.items() if value.isdigit()}
    found: dict[str, dict] = {}
    names = {"pref-lang": "language", "time_zone": "time_zone"}
    for user_id, name, value in UserPreference.objects.filter(
            user_id__in=[int(value) for value in numeric], key__in=list(names)).values_list("user_id", "key", "value"):
        found.setdefault(numeric[str(user_id)], {})[names[name]] = value
    return found
