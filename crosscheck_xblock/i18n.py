"""Translation of everything the block shows, in the reader's language.

Open edX translates an XBlock through the runtime's `i18n` service: in the LMS and Studio it is
`XBlockI18nService`, which loads this package's catalogs,
`crosscheck_xblock/translations/<locale>/LC_MESSAGES/text.mo`, in the request's language (and
falls back to the platform's own catalog). The services and the pure core have no block to ask,
so the block puts the service in a context variable for the length of one request (`active`),
and `gettext` / `ngettext` here read it. Without one (a Celery worker, the checklist CLI, a
test) texts are English unless a caller activates `catalog(language)`.

Sentences that are stored and read later (how a grade came about) are `Text`: the English
template and its values, worded when they are shown, so each reader gets their own language.
Numbers and dates in sentences are formatted for the language (Babel's CLDR data).

Mark a string for the catalog where it is written: `gettext("…")` / `ngettext("…", "…", n)` when
it is shown at once, `N_("…")` when it is a template worded later (`Text`, tables of messages).
"""
from __future__ import annotations

import contextlib
import contextvars
import gettext as gettext_module
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import dates as babel_dates
from babel import numbers as babel_numbers

DOMAIN = "text"  # the catalog name XBlockI18nService loads
LOCALE_DIR = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class _Active:
    translator: object  # anything with gettext(msg) and ngettext(singular, plural, n)
    language: str


_active: contextvars.ContextVar[_Active | None] = contextvars.ContextVar("crosscheck_i18n", default=None)
# The reader's time zone for dates in sentences (`in_zone`); None: UTC.
_zone: contextvars.ContextVar[ZoneInfo | None] = contextvars.ContextVar("crosscheck_zone", default=None)
MAX_ZONE = 64  # characters of an IANA zone name we accept
# Within `render_all`: the numbers worded so far, {(value, digits): text}; None outside it.
_numbers: contextvars.ContextVar[dict | None] = contextvars.ContextVar("crosscheck_numbers", default=None)


def zone(name: object) -> ZoneInfo | None:
    """The IANA time zone `name` ("Europe/Moscow"), or None when it is not one (or is UTC)."""
    if not isinstance(name, str) or not name or len(name) > MAX_ZONE or name in ("UTC", "Etc/UTC"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@contextlib.contextmanager
def in_zone(name: str | None):
    """Within it, dates in sentences are in the time zone `name` (an IANA name; else UTC)."""
    token = _zone.set(zone(name))
    try:
        yield
    finally:
        _zone.reset(token)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now (it is worded later)."""
    return message


def language_code(value: str | None) -> str:
    """The catalog language for a Django/Open edX language code ("ru-ru", "ru_RU", "pt-br" …):
    one of LANGUAGES, else the default."""
    primary = (value or "").replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalog(language: str) -> gettext_module.NullTranslations:
    """This package's compiled catalog for `language` (English: the texts as written)."""
    return gettext_module.translation(DOMAIN, str(LOCALE_DIR), [language_code(language)], fallback=True)


@contextlib.contextmanager
def active(translator, language: str):
    """Within the block, texts come from `translator` (the runtime's i18n service) in `language`."""
    token = _active.set(_Active(translator, language_code(language)))
    try:
        yield
    finally:
        _active.reset(token)


def using(language: str):
    """Within the block, texts in `language` from this package's own catalog (workers, the CLI)."""
    return active(catalog(language), language)


def language() -> str:
    """The language texts are being worded in."""
    current = _active.get()
    return current.language if current else DEFAULT_LANGUAGE


def gettext(message: str) -> str:
    """`message` in the current language."""
    current = _active.get()
    return current.translator.gettext(message) if current else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for the count `n` in the current language (Russian has
    three: 1 работа, 2 работы, 5 работ)."""
    current = _active.get()
    if current is None:
        return singular if n == 1 else plural
    return current.translator.ngettext(singular, plural, n)


def format_number(value: float, digits: int = 2) -> str:
    """A number for the reader: at most `digits` decimals, the language's separators
    (12.5 → "12.5" in English, "12,5" in Russian)."""
    memo = _numbers.get()
    if memo is not None:
        key = (value, digits)
        text = memo.get(key)
        if text is None:
            text = memo[key] = _format_number(value, digits)
        return text
    return _format_number(value, digits)


def _format_number(value: float, digits: int) -> str:
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    try:
        # Halves up, as people round (and as the grades are rounded), before Babel formats it.
        exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except (OverflowError, InvalidOperation, ValueError):
        return str(value)  # beyond what a float or the quantum holds (hostile input): as it is
    reader = language()
    symbols = _number_symbols(reader) if exact.is_finite() else None
    if symbols is None:
        text = babel_numbers.format_decimal(exact, format=pattern, locale=reader)
        return "0" if text in ("-0", "") else text
    # What Babel gives for this pattern, without parsing the pattern and the locale on every call
    # (the staff analytics word 10,000 numbers): groups of three, the decimals without trailing
    # zeros, the language's symbols (tests/unit/test_translations.py compares it with Babel).
    whole, _, decimals = f"{abs(exact):,f}".partition(".")
    decimals = decimals.rstrip("0")
    group, point, minus = symbols
    text = whole.replace(",", group) + (point + decimals if decimals else "")
    return minus + text if exact < 0 and text != "0" else text


@cache
def _number_symbols(reader: str) -> tuple[str, str, str] | None:
    """(group, decimal, minus) of a language of the block (None for another: Babel formats)."""
    if reader not in LANGUAGES:
        return None
    return (babel_numbers.get_group_symbol(reader), babel_numbers.get_decimal_symbol(reader),
            babel_numbers.get_minus_sign_symbol(reader))


def format_date(moment: datetime) -> str:
    """A moment in a sentence, in the reader's time zone when it is known (`in_zone`), else UTC:
    "1 December 2026, 22:25 UTC" / "2 декабря 2026, 01:25 (Europe/Moscow)"."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    reader_zone = _zone.get()
    if reader_zone is None:
        return babel_dates.format_datetime(moment, "d MMMM y, HH:mm 'UTC'", tzinfo=UTC, locale=language())
    worded = babel_dates.format_datetime(moment, "d MMMM y, HH:mm", tzinfo=reader_zone, locale=language())
    return f"{worded} ({reader_zone.key})"


class _Remembering:
    """A translator that asks the one it wraps once per message (`render_all`)."""

    def __init__(self, translator):
        self._translator, self._seen = translator, {}

    def gettext(self, message: str) -> str:
        text = self._seen.get(message)
        if text is None:
            text = self._seen[message] = self._translator.gettext(message)
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        key = (singular, plural, n)
        text = self._seen.get(key)
        if text is None:
            text = self._seen[key] = self._translator.ngettext(singular, plural, n)
        return text


def render_all(texts) -> list[str]:
    """Each Text of `texts` in the current language, as `Text.render` words it, with every
    template looked up and every number formatted once for the lot: the staff analytics word
    one reason per flagged reviewer (10,000 of them), most of them with the same templates and
    many with the same numbers."""
    current = _active.get()
    token = _active.set(_Active(_Remembering(current.translator), current.language)) if current else None
    numbers = _numbers.set({})
    try:
        return [text.render() for text in texts]
    finally:
        _numbers.reset(numbers)
        if token is not None:
            _active.reset(token)


def _worded(value) -> str:
    if isinstance(value, Text):
        return value.render()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, datetime):
        return format_date(value)
    return str(value)


@dataclass(frozen=True)
class Text:
    """A sentence kept as its English template (`%(name)s` placeholders) and values, worded in
    the reader's language when shown. With `plural`, `n` picks the form. Values may be Texts
    (a sentence inside a sentence); numbers are formatted for the reader's language."""

    msgid: str
    params: Mapping = field(default_factory=dict)
    plural: str | None = None
    n: int | None = None

    def render(self) -> str:
        """The sentence in the current language."""
        if not self.msgid:
            return ""
        if self.plural is not None:
            template = ngettext(self.msgid, self.plural, self.n or 0)
        else:
            template = gettext(self.msgid)
        values = {key: _worded(value) for key, value in self.params.items()}
        if self.n is not None:
            values.setdefault("n", format_number(self.n, 0))
        try:
            return template % values if values or "%(" in template else template
        except (KeyError, ValueError, TypeError):
            # A translation with a broken placeholder must not break the page: use the English.
            return self.msgid % values if values else self.msgid

    def __str__(self) -> str:
        return self.render()

    def __bool__(self) -> bool:
        return bool(self.msgid)

    def as_json(self) -> dict:
        """The stored form (a JSON object); `Text.from_json` reads it back."""
        data: dict = {"msgid": self.msgid}
        if self.params:
            data["params"] = {key: value.as_json() if isinstance(value, Text) else value
                              for key, value in self.params.items()}
        if self.plural is not None:
            data["plural"], data["n"] = self.plural, self.n
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Text:
        """The Text stored as `data` (see `as_json`)."""
        params = {key: cls.from_json(value) if isinstance(value, Mapping) and "msgid" in value else value
                  for key, value in (data.get("params") or {}).items()}
        return cls(data["msgid"], params, data.get("plural"), data.get("n"))


EMPTY = Text("")  # no sentence (a score that counted as given has no reason)


def dumps(text: Text | None) -> str:
    """A Text for a text column (JSON of `as_json`); None as ""."""
    return "" if text is None else json.dumps(text.as_json(), ensure_ascii=False)


def render(stored) -> str:
    """A stored sentence in the current language: a `Text`, its JSON form (an object, or the
    text `dumps` wrote); a plain string (written before sentences were Texts) as it is."""
    if isinstance(stored, str) and stored.startswith('{"msgid"'):
        try:
            stored = json.loads(stored)
        except ValueError:
            return stored
    if isinstance(stored, Text):
        return stored.render()
    if isinstance(stored, Mapping) and "msgid" in stored:
        return Text.from_json(stored).render()
    return "" if stored is None else str(stored)


def plural_text(singular: str, plural: str, n: int, params: Mapping | None = None) -> Text:
    """A Text whose form follows the count `n` (`%(n)s` in it is the count)."""
    return Text(singular, dict(params or {}), plural, n)
