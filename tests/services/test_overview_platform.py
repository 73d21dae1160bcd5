"""The course overview (S4) as the LMS loads it: the plugin's URLs through edx-django-utils, the
course page with the LMS's session user (its anonymous id, enrolment and staff check stand in for
edx-platform's modules, as the retirement test's signals do), and the dynamic course tab through
the `openedx.course_tab` entry point with a stand-in of xmodule's CourseTab."""
import sys
import types
from importlib.metadata import entry_points
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation
from edx_django_utils.plugins import get_plugin_url_patterns

from crosscheck_xblock import compat, downloads, services
from crosscheck_xblock.errors import NotAllowed, NotFound

from ..factories import make_task

COURSE = "course-v1:Test+CrossCheck+Schedule"  # factories.COURSE
LMS = {"CROSSCHECK_PLATFORM_STANDINS": ""}  # the LMS's own answers, not the workbench's stand-ins


def test_the_plugin_urls_are_included_under_crosscheck_in_the_lms_only():
    [ours] = [p for p in get_plugin_url_patterns("lms.djangoapp") if getattr(p, "namespace", "") == "crosscheck"]
    assert isinstance(ours, URLResolver) and ours.pattern.regex.pattern == "^crosscheck/"
    assert ours.urlconf_module.__name__ == "crosscheck_xblock.urls" and ours.app_name == "crosscheck_xblock"
    assert not [p for p in get_plugin_url_patterns("cms.djangoapp") if getattr(p, "namespace", "") == "crosscheck"]
    assert reverse("crosscheck:course_overview", args=[COURSE]) == f"/crosscheck/courses/{COURSE}/"
    match = get_resolver().resolve(f"/crosscheck/courses/{COURSE}/")
    assert (match.view_name, match.kwargs) == ("crosscheck:course_overview", {"course_id": COURSE})


class FakeEnrollment:
    """edx-platform's CourseEnrollment.is_enrolled, over a set of (username, course key)."""

    enrolled: set = set()

    @classmethod
    def is_enrolled(cls, user, course_key):
        return (user.username, str(course_key)) in cls.enrolled


@pytest.fixture
def lms(monkeypatch):
    """edx-platform's modules the course page asks (anonymous ids, enrolment, staff access)."""
    def module(name, **attrs):
        for depth in range(1, name.count(".") + 1):
            parent = name.rsplit(".", depth)[0]
            if parent not in sys.modules:
                monkeypatch.setitem(sys.modules, parent, types.ModuleType(parent))
        monkeypatch.setitem(sys.modules, name, types.SimpleNamespace(__name__=name, **attrs))

    FakeEnrollment.enrolled = set()
    staff = set()
    module("common.djangoapps.student.models", CourseEnrollment=FakeEnrollment,
           anonymous_id_for_user=lambda user, key: f"anon-{user.username}-{key.course}")
    module("lms.djangoapps.courseware.access",
           has_access=lambda user, action, _key: action == "staff" and user.username in staff)
    return SimpleNamespace(enrolled=FakeEnrollment.enrolled, staff=staff)


def user(name, authenticated=True):
    return SimpleNamespace(username=name, is_authenticated=authenticated)


@override_settings(**LMS)
def test_the_lms_viewer_is_the_session_user_by_their_course_anonymous_id(lms):
    lms.enrolled.add(("ann", COURSE))
    request = SimpleNamespace(user=user("ann"))
    viewer = compat.course_viewer(request, COURSE)
    assert (viewer.student_id, viewer.username, viewer.is_staff, viewer.link_query) == (
        "anon-ann-CrossCheck", "ann", False, "")
    with pytest.raises(NotAllowed) as refused:
        compat.course_viewer(SimpleNamespace(user=user("stranger")), COURSE)
    assert refused.value.code == "not_enrolled"
    lms.staff.add("teacher")  # course staff need no enrolment
    assert compat.course_viewer(SimpleNamespace(user=user("teacher")), COURSE).is_staff is True
    assert compat.course_viewer(SimpleNamespace(user=user("x", authenticated=False)), COURSE) is None
    with pytest.raises(NotFound) as unknown:
        compat.course_viewer(request, "not a course key")
    assert unknown.value.code == "unknown_course"
    assert compat.may_see_course(user("ann"), COURSE) and not compat.may_see_course(user("stranger"), COURSE)
    assert not compat.may_see_course(None, COURSE)
    assert compat.unit_url("block-v1:Test+CrossCheck+Schedule+type@crosscheck+block@a", COURSE, viewer) == (
        f"/courses/{COURSE}/jump_to/block-v1:Test+CrossCheck+Schedule+type@crosscheck+block@a")
    assert compat.course_home_url(COURSE, viewer) == f"/courses/{COURSE}/course/"


@pytest.mark.db
@pytest.mark.django_db
@override_settings(**LMS)
def test_the_course_page_in_the_lms(client, lms, clock):
    from cc_workbench.services import anonymous_id
    task = make_task("block-v1:Test+CrossCheck+Schedule+type@crosscheck+block@one", 3)
    account = User.objects.create_user("w001", password="x")
    lms.enrolled.add(("w001", COURSE))
    # The workbench's learner w001 submitted; in the LMS the page finds them by the same anonymous id.
    sys.modules["common.djangoapps.student.models"].anonymous_id_for_user = lambda u, _key: anonymous_id(u.username)
    page = f"/crosscheck/courses/{COURSE}/"
    refused = client.get(page)  # nobody signed in: 403 with the LMS's sign-in link, back to this page
    assert refused.status_code == 403 and b"not_signed_in" in refused.content
    assert b"/accounts/login/?next=/crosscheck/courses/" in refused.content
    client.force_login(account)
    response = client.get(page)
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert '"submitted": true' in html and f"/courses/{COURSE}/jump_to/{task.usage_key}" in html
    assert f'href="/courses/{COURSE}/course/"' in html
    User.objects.create_user("outsider", password="x")
    client.force_login(User.objects.get(username="outsider"))
    assert client.get(page).status_code == 403  # not enrolled
    assert client.get("/crosscheck/courses/nonsense/").status_code == 404


@pytest.mark.db
@pytest.mark.django_db
@override_settings(**LMS)
def test_an_export_link_in_the_lms_is_for_the_session_user_who_asked(client):
    """In the LMS the handler names the user by the user service's `user_id` (`user:<id>`); the
    download link's view compares it with the session's `request.user`."""
    task = make_task("block-v1:Test+CrossCheck+Schedule+type@crosscheck+block@export", 3)
    teacher = User.objects.create_user("teacher", password="x")
    other = User.objects.create_user("other", password="x")
    link = downloads.link(downloads.request_of(task.usage_key, "grades", True, None, "en", f"user:{teacher.pk}"))
    assert link.startswith("/crosscheck/exports/") and "?" not in link  # nothing but the token in the LMS
    assert client.get(link).json()["code"] == "wrong_user"  # nobody signed in
    client.force_login(other)
    refused = client.get(link)
    assert refused.status_code == 403 and refused.json()["code"] == "wrong_user"
    client.force_login(teacher)
    response = client.get(link)
    assert response.status_code == 200 and response.streaming
    assert response.getvalue().decode().startswith('"work_id","learner",')
    assert compat.request_user_key(SimpleNamespace(user=user("x", authenticated=False))) is None


# ---------------------------------------------------------------- the course tab

@pytest.fixture
def course_tab(monkeypatch):
    """The tab class as the LMS loads it, with a stand-in of xmodule.tabs' CourseTab (its
    constructor and link as edx-platform has them: name from `title`, the link reversed from
    `view_name` with the course id)."""
    class CourseTab:
        title = None
        view_name = None
        is_dynamic = False
        priority = None

        def __init__(self, tab_dict):
            self.name = tab_dict.get("name", self.title)
            self.tab_dict = tab_dict

        @property
        def link_func(self):
            return lambda course, reverse_func: reverse_func(self.view_name, args=[str(course.id)])

    tabs = types.ModuleType("xmodule.tabs")
    tabs.CourseTab = CourseTab
    monkeypatch.setitem(sys.modules, "xmodule", types.ModuleType("xmodule"))
    monkeypatch.setitem(sys.modules, "xmodule.tabs", tabs)
    monkeypatch.delitem(sys.modules, "crosscheck_xblock.course_tab", raising=False)
    [point] = [p for p in entry_points(group="openedx.course_tab") if p.name == "crosscheck"]
    return point.load()


@pytest.mark.db
@pytest.mark.django_db
@override_settings(**LMS)
def test_the_course_tab_is_a_dynamic_tab_of_enrolled_learners_in_courses_with_a_cross_check(course_tab, lms):
    assert (course_tab.type, course_tab.is_dynamic, course_tab.view_name) == ("crosscheck", True,
                                                                             "crosscheck:course_overview")
    course = SimpleNamespace(id=COURSE)
    lms.enrolled.add(("ann", COURSE))
    assert not course_tab.is_enabled(course, user=user("ann"))  # no cross-check in the course yet
    services.sync_task("block-v1:Test+CrossCheck+Schedule+type@crosscheck+block@t", COURSE,
                       {"display_name": "T", "checklist": {}})
    assert course_tab.is_enabled(course, user=user("ann"))
    assert not course_tab.is_enabled(course, user=user("stranger"))
    assert course_tab.is_enabled(course)  # the platform's listing of tabs, without a user
    tab = course_tab({})  # as _get_dynamic_tabs makes it, once per request
    assert tab.name == "Cross-checks" and tab.link_func(course, reverse) == f"/crosscheck/courses/{COURSE}/"
    with translation.override("ru"):
        assert course_tab({}).name == "Кросс-чеки"
    assert services.course_has_tasks(COURSE) and not services.course_has_tasks("course-v1:Empty+Course+Run")
