"""Django settings for compiling the JS catalogs (django-statici18n's compilejsi18n): only the
block's own `djangojs` catalogs, from crosscheck_xblock/translations."""
from pathlib import Path

SECRET_KEY = "compile-js-catalogs-only"  # no server runs with these settings
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
INSTALLED_APPS = ["statici18n"]
LOCALE_PATHS = [str(Path(__file__).resolve().parents[1] / "crosscheck_xblock" / "translations")]
STATICI18N_PACKAGES = ()
