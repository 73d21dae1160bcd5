"""The workbench's language, as the LMS chooses it, and its i18n service.

- The language follows the browser (Accept-Language, Django's LocaleMiddleware); `?lang=ru` or
  `?lang=en` switches it and is remembered in Django's language cookie, so the page's handler
  calls speak the same language.
- `WorkbenchI18nService` does for the block what the LMS's XBlockI18nService does: the block's
  own catalogs (crosscheck_xblock/translations/<locale>/LC_MESSAGES/text.mo) in the request's
  language. xblock-sdk's own service only forwards to Django's catalogs, which hold none of ours.
- The workbench's page has no `lang` attribute or title (xblock-sdk's templates): the middleware
  adds both, so screen readers pronounce the page right and the accessibility audit sees the
  page a learner would see in the LMS.
"""
from django.conf import settings
from django.utils import translation

from crosscheck_xblock import i18n

SWITCH = "lang"


class WorkbenchI18nService:
    """The XBlock `i18n` service: gettext/ngettext of the block's catalogs in Django's language."""

    @staticmethod
    def _catalog():
        return i18n.catalog(i18n.language_code(translation.get_language()))

    def gettext(self, message):
        return self._catalog().gettext(message)

    def ngettext(self, singular, plural, n):
        return self._catalog().ngettext(singular, plural, n)

    ugettext = gettext
    ungettext = ngettext

    def strftime(self, moment, fmt):
        return moment.strftime(fmt)

    def get_javascript_i18n_catalog_url(self, block):  # noqa: ARG002 - the platform's signature
        """None: the workbench has no compiled platform catalogs; the block's own are used."""
        return None


class LanguageSwitchMiddleware:
    """`?lang=xx` (a language of settings.LANGUAGES) chooses the language and keeps it in the
    language cookie; placed before LocaleMiddleware, which then reads the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.GET.get(SWITCH, "")
        known = {code for code, _name in settings.LANGUAGES}
        if chosen in known:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = chosen
        response = self.get_response(request)
        if chosen in known:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, samesite="Lax")
        return response


class PageLanguageMiddleware:
    """Gives the workbench's HTML pages `<html lang="…">` and a `<title>`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "text/html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
            return response
        page = response.content.decode(response.charset or "utf-8")
        language = translation.get_language() or settings.LANGUAGE_CODE
        if "<html>" in page:
            page = page.replace("<html>", f'<html lang="{language}">', 1)
        if "<title>" not in page and "<head>" in page:
            page = page.replace("<head>", "<head><title>Cross-check · XBlock workbench</title>", 1)
        response.content = page.encode(response.charset or "utf-8")
        return response
