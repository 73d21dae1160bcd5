"""Workbench settings: xblock-sdk's own, plus our apps, services and the demo's needs.

The database is SQLite at var/workbench.db of this checkout (WORKBENCH_DATABASES, xblock-sdk's
JSON setting, overrides it). Set CROSSCHECK_DB=mariadb to use MariaDB on 127.0.0.1:3306 instead.
"""
import os
from pathlib import Path

from workbench.settings import *  # noqa: F403
from workbench.settings import DATABASES, INSTALLED_APPS, LOGGING, MIDDLEWARE, WORKBENCH

# var/ of this checkout, whatever the working directory (xblock-sdk assumes the cwd).
VAR_DIR = Path(os.environ.get("CROSSCHECK_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")
# xblock-sdk logs every SQL statement (django at DEBUG) into a 50 kB rotating file: slow, and noise.
LOGGING["loggers"]["django"]["level"] = "INFO"
if "WORKBENCH_DATABASES" not in os.environ:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "workbench.db")}}

INSTALLED_APPS = [*INSTALLED_APPS, "submissions", "crosscheck_xblock", "cc_workbench"]

if os.environ.get("CROSSCHECK_DB") == "mariadb":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("CROSSCHECK_DB_NAME", "crosscheck_workbench"),
            "USER": os.environ.get("CROSSCHECK_DB_USER", "root"),
            "PASSWORD": os.environ.get("CROSSCHECK_DB_PASSWORD", ""),
            "HOST": os.environ.get("CROSSCHECK_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("CROSSCHECK_DB_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
    # edx-submissions 4.0.2's migration 0006 fails on a fresh MariaDB database; see the package.
    MIGRATION_MODULES = {"submissions": "cc_workbench.submissions_migrations"}

# Keep field values (Studio edits) across restarts, like a real course.
WORKBENCH = {**WORKBENCH, "reset_state_on_restart": False,
             "services": {**WORKBENCH.get("services", {}), "user": "cc_workbench.services.WorkbenchUserService",
                          "i18n": "cc_workbench.i18n.WorkbenchI18nService"}}

# The language follows the browser (Accept-Language), as in the LMS; ?lang=ru switches it
# (cc_workbench/i18n.py). The block's catalogs are English and Russian.
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
_sessions = MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
MIDDLEWARE = [*MIDDLEWARE[:_sessions + 1], "cc_workbench.i18n.LanguageSwitchMiddleware",
              "django.middleware.locale.LocaleMiddleware", *MIDDLEWARE[_sessions + 1:],
              "cc_workbench.i18n.PageLanguageMiddleware"]

# Only our block in the workbench list (xblock-sdk's samples stay out of the way).
EXCLUDED_XBLOCKS = {
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs", "helloworld_demo",
    "html_demo", "problem_demo", "sidebar_demo", "slider_demo", "textinput_demo", "thumbs",
    "view_counter_demo",
}

# Learners switch with ?student=NAME; this user is course staff in the demo.
CROSSCHECK_STAFF_USERS = {"staff"}
CROSSCHECK_FALLBACK_COURSE_ID = "course-v1:Workbench+CrossCheck+Demo"
# What the plugin's course pages ask the LMS (who is signed in, a block's page), the workbench's way.
CROSSCHECK_PLATFORM_STANDINS = "cc_workbench.platform"
# Notices (issue 14): the demo's learners stand in for the course's enrolments; a notice's link
# opens the block's scenario page (compat.unit_link asks the stand-ins above).
CROSSCHECK_ENROLLMENTS = "cc_workbench.services.course_enrollments"
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "cc_urls"

# Celery (workbench/cc_celery.py; the LMS has its own app). Eager by default: the workbench needs
# no broker. CROSSCHECK_CELERY_BROKER sends tasks to a broker for a real worker (the tests do).
CELERY_BROKER_URL = os.environ.get("CROSSCHECK_CELERY_BROKER", "memory://")
CELERY_TASK_ALWAYS_EAGER = "CROSSCHECK_CELERY_BROKER" not in os.environ
CELERY_ALWAYS_EAGER = CELERY_TASK_ALWAYS_EAGER  # the same switch under the LMS's old-style name
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CROSSCHECK_CELERY_QUEUE", "crosscheck")
CELERY_TASK_IGNORE_RESULT = True
# Seconds between two runs of the self-re-queuing sweep (crosscheck_xblock.tasks).
CROSSCHECK_SWEEP_SECONDS = int(os.environ.get("CROSSCHECK_SWEEP_SECONDS", "60"))
# Start the sweep when a worker starts and no sweep ran lately (off: start it by hand).
CROSSCHECK_SWEEP_ON_WORKER_START = os.environ.get("CROSSCHECK_SWEEP_ON_WORKER_START") == "1"

# Telegram (issue 14): on when CROSSCHECK_TELEGRAM_TOKEN is set (`make workbench` sets all four for
# its local fake Bot API on CROSSCHECK_TELEGRAM_API_URL, e.g. http://127.0.0.1:8081/bot). The deep
# links then open the workbench's stand-in phone (/phone/) instead of https://t.me/.
CROSSCHECK_TELEGRAM = {
    "BOT_TOKEN": os.environ.get("CROSSCHECK_TELEGRAM_TOKEN", ""),
    "BOT_USERNAME": os.environ.get("CROSSCHECK_TELEGRAM_BOT", ""),
    "API_URL": os.environ.get("CROSSCHECK_TELEGRAM_API_URL", "") or "https://api.telegram.org/bot",
    "WEBHOOK_SECRET": os.environ.get("CROSSCHECK_TELEGRAM_WEBHOOK_SECRET", ""),
    "LINK_URL": os.environ.get("CROSSCHECK_TELEGRAM_LINK_URL", "/phone/"),
}
# Whom a notice goes to in Telegram: the demo's learners (compat.user_keys' stand-in).
CROSSCHECK_USER_KEYS = "cc_workbench.services.user_keys"
# Links in Telegram messages are absolute: the workbench's own address (`make workbench` sets it).
if os.environ.get("CROSSCHECK_LMS_ROOT_URL"):
    LMS_ROOT_URL = os.environ["CROSSCHECK_LMS_ROOT_URL"]
# How long a Telegram sender holds the outbox without renewing it (services/outbox.py).
CROSSCHECK_OUTBOX_LEASE_SECONDS = int(os.environ.get("CROSSCHECK_OUTBOX_LEASE_SECONDS", "300"))
