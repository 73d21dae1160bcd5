"""The block as the platform loads it: its entry points, the plugin app found by edx-django-utils
with its settings and signal receivers, and its receivers of the LMS's and Studio's signals."""
import sys
import types
from importlib.metadata import entry_points
from io import StringIO

import pytest
from django.core.management import call_command
from django.dispatch import Signal
from edx_django_utils.plugins import add_plugins, connect_plugin_receivers, get_plugin_apps

from crosscheck_xblock import compat, services, signals
from crosscheck_xblock.block import CrossCheckXBlock
from crosscheck_xblock.models import Appeal, Task, Work

from ..factories import CLOSES, DEADLINE, make_task, review_all, start, task

RETIREMENT = "openedx.core.djangoapps.user_api.accounts.signals"


def test_the_xblock_entry_point_resolves_to_the_block():
    [point] = [p for p in entry_points(group="xblock.v1") if p.name == "crosscheck"]
    assert point.load() is CrossCheckXBlock


@pytest.mark.parametrize("project", ["lms.djangoapp", "cms.djangoapp"])
def test_the_plugin_machinery_finds_the_app_and_its_settings(project):
    assert "crosscheck_xblock.apps.CrossCheckConfig" in get_plugin_apps(project)
    site = types.ModuleType("site_settings")
    site.CROSSCHECK_SWEEP_SECONDS = 30  # an operator's own value is kept
    sys.modules["site_settings"] = site
    try:
        add_plugins("site_settings", project, "common")
    finally:
        del sys.modules["site_settings"]
    assert site.CROSSCHECK_SWEEP_SECONDS == 30 and site.CROSSCHECK_SWEEP_ON_WORKER_START is False


@pytest.fixture
def retirement_signals(monkeypatch):
    """edx-platform's account-retirement signals module, as the LMS has it."""
    module = types.ModuleType(RETIREMENT)
    module.USER_RETIRE_LMS_MISC, module.USER_RETIRE_LMS_CRITICAL = Signal(), Signal()
    for depth in range(1, RETIREMENT.count(".") + 1):
        monkeypatch.setitem(sys.modules, RETIREMENT.rsplit(".", depth)[0], types.ModuleType("parent"))
    monkeypatch.setitem(sys.modules, RETIREMENT, module)
    return module


@pytest.mark.db
@pytest.mark.django_db
def test_a_retired_learner_is_forgotten_by_name(retirement_signals):
    make_task("retire", 5, k=2)
    start("retire", DEADLINE)
    review_all("retire", DEADLINE, skip=0)
    services.complete_cross_check(task("retire"), CLOSES)
    work = Work.objects.get(username="w001")
    Appeal.objects.create(work=work, origin=Appeal.STAFF, status=Appeal.RESOLVED, created_at=CLOSES,
                          resolved_by="w001")
    connect_plugin_receivers("lms.djangoapp")  # what the LMS does at start-up
    retirement_signals.USER_RETIRE_LMS_MISC.send(sender=None, user=types.SimpleNamespace(username="w001"))
    work.refresh_from_db()
    assert work.username == "" and not Appeal.objects.filter(resolved_by="w001").exists()
    assert Work.objects.filter(username="w002").exists()  # nobody else
    overview = services.staff_overview(task("retire"), CLOSES)
    assert work.student_id in [row["learner"] for row in overview["learners"]]  # the anonymous id instead
    # The critical signal too (idempotent: nothing left to clear is fine).
    retirement_signals.USER_RETIRE_LMS_CRITICAL.send(sender=None, user=types.SimpleNamespace(username="w002"))
    assert not Work.objects.filter(username="w002").exists()
    assert services.forget_username("") == 0


@pytest.mark.db
@pytest.mark.django_db
def test_publishing_a_course_refreshes_its_blocks_settings_copy(monkeypatch):
    from workbench.runtime import WorkbenchRuntime
    from workbench.scenarios import SCENARIOS, add_xml_scenario

    add_xml_scenario("published", "published", '<crosscheck display_name="As published" reviews_per_work="2"/>')
    block = WorkbenchRuntime("staff").get_block(SCENARIOS["published"].usage_id)
    monkeypatch.setattr(compat, "published_blocks", lambda _course_key: [block])
    signals.course_published(sender=None, course_key="course-v1:Test+Published+Now")  # Celery runs it eagerly
    row = Task.objects.get(usage_key=compat.usage_key(block))
    assert row.config["display_name"] == "As published" and row.config["reviews_per_work"] == 2
    block.display_name = "Published again"
    signals.course_published(sender=None, course_key="course-v1:Test+Published+Now")
    assert Task.objects.get(pk=row.pk).config["display_name"] == "Published again"
    assert compat.connect_course_published(signals.course_published) is False  # no modulestore here


@pytest.mark.db
@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "crosscheck_xblock", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
