"""The catalogs (issue 10): complete, never fuzzy, compiled from the current .po files, and
Russian done right — three plural forms, numbers and dates in the Russian manner."""
import gettext
import random
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from crosscheck_xblock import i18n
from crosscheck_xblock.i18n import Text, plural_text

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "crosscheck_xblock" / "translations"
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def test_catalogs_are_complete_and_compiled():
    """Every marked string is in every catalog, translated, not fuzzy; the .mo files and the JS
    catalogs are what `make translations` makes of the .po files now (run in a process of its
    own: it configures Django for the JS catalogs)."""
    result = subprocess.run([sys.executable, "-m", "i18n_tools.translations", "check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_both_languages_have_both_catalogs():
    assert {(p.parts[-3], p.stem) for p in PO_FILES} == {
        (language, domain) for language in ("en", "ru") for domain in ("text", "djangojs")}


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_placeholders_survive_translation(path):
    """A translation keeps exactly the %(name)s placeholders of its msgid (a lost or misspelt
    one would show English, or break the sentence)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\((\w+)\)s", " ".join(ids))) - {"n"}
        for text in strings:
            if set(re.findall(r"%\((\w+)\)s", text)) - {"n"} != wanted:
                wrong.append((ids[0][:60], text[:60]))
    assert wrong == []


def test_russian_plural_rule_is_the_cldr_one():
    with (LOCALE / "ru" / "LC_MESSAGES" / "text.po").open("rb") as handle:
        catalog = read_po(handle)
    rule = gettext.c2py(catalog.plural_expr)  # what gettext evaluates for the compiled catalog
    assert catalog.num_plurals == 3
    assert [rule(n) for n in (1, 2, 5, 11, 12, 21, 22, 25, 111)] == [0, 1, 2, 2, 2, 0, 1, 2, 2]


def test_russian_counts_take_the_right_form():
    """1 проверяющий, 2 проверяющих … and 1 студента, 2 студентов: the form follows the count."""
    singular, plural = "%(graded)s of %(n)s learner graded.", "%(graded)s of %(n)s learners graded."
    with i18n.using("ru"):
        said = {n: plural_text(singular, plural, n, {"graded": 0}).render() for n in (1, 2, 5, 21)}
        warned = {n: plural_text("The grade of %(learner)s is now %(points)s of %(max)s; %(n)s warning given.",
                                 "The grade of %(learner)s is now %(points)s of %(max)s; %(n)s warnings given.",
                                 n, {"learner": "x", "points": 1, "max": 2}).render() for n in (1, 2, 5, 21)}
    assert said[1].endswith("из 1 студента.") and said[21].endswith("из 21 студента.")
    assert said[2].endswith("из 2 студентов.") and said[5].endswith("из 5 студентов.")
    assert warned[1].endswith("1 предупреждение.") and warned[21].endswith("21 предупреждение.")
    assert warned[2].endswith("2 предупреждения.") and warned[5].endswith("5 предупреждений.")


def test_numbers_and_dates_are_formatted_for_the_language():
    moment = datetime(2026, 12, 1, 22, 25, tzinfo=UTC)
    assert (i18n.format_number(12.5), i18n.format_number(2.675), i18n.format_number(1234.5)) == (
        "12.5", "2.68", "1,234.5")
    assert i18n.format_date(moment) == "1 December 2026, 22:25 UTC"
    with i18n.using("ru"):
        assert i18n.format_number(12.5) == "12,5"
        assert i18n.format_number(1234.5).replace("\N{NO-BREAK SPACE}", " ") == "1 234,5"
        assert i18n.format_date(moment) == "1 декабря 2026, 22:25 UTC"
        assert Text("Your grade is %(points)s of %(max)s: %(how)s",
                    {"points": 72.5, "max": 100, "how": "…"}).render() == "Ваша оценка — 72,5 из 100: …"


def test_numbers_are_worded_as_babel_words_them():
    # format_number writes the block's languages' numbers itself (Babel parsed the pattern and
    # the locale on every call: a third of the staff analytics' wording at 10,000 works).
    from decimal import ROUND_HALF_UP, Decimal

    from babel import numbers as babel_numbers

    rng = random.Random(15)
    values = [0, 0.0, -0.0, 0.004, -0.004, 0.005, -0.005, 1, -1, 2.675, 12.5, 999.995, 1000, -1000.5,
              1234567.891, -9876543.21, 1e15, -1e15, 123456789012.34, 0.1 + 0.2, 5e-324, 1e20, True]
    values += [rng.uniform(-1e7, 1e7) for _ in range(300)] + [round(rng.uniform(-100, 100), 1) for _ in range(300)]
    values += [rng.randint(-10**9, 10**9) for _ in range(100)]
    for language in i18n.LANGUAGES:
        with i18n.using(language):
            for digits in (0, 1, 2, 4):
                for value in values:
                    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
                    pattern = "#,##0" + ("." + "#" * digits if digits else "")
                    text = babel_numbers.format_decimal(exact, format=pattern, locale=language)
                    assert i18n.format_number(value, digits) == ("0" if text in ("-0", "") else text), (
                        language, digits, value)
    assert i18n.format_number(float("inf")) == "inf" and i18n.format_number(1e300) == str(1e300)


def test_render_all_words_each_text_as_render_does():
    """render_all (the staff analytics' 10,000 reasons) looks each template up and formats each
    number once for the lot: the same words as rendering one by one, in either language, and
    nothing remembered after it."""
    rng = random.Random(16)
    habit = "scores scatter by %(noise)s points around the others"
    texts = [plural_text("%(habit)s over %(n)s review", "%(habit)s over %(n)s reviews", rng.choice([1, 2, 3, 5, 21]),
                         {"habit": Text(habit, {"noise": rng.choice([12.5, 0.004, 1234.5, -0.0, 7])})})
             for _ in range(200)] + [Text(""), Text("No works submitted yet.")]
    for language in i18n.LANGUAGES:
        with i18n.using(language):
            one_by_one = [text.render() for text in texts]
            assert i18n.render_all(texts) == one_by_one
            assert i18n.format_number(12.5) == ("12,5" if language == "ru" else "12.5")
    with i18n.using("ru"):
        in_russian = i18n.render_all(texts[:1])
    assert i18n.render_all(texts[:1]) != in_russian and i18n.format_number(1234.5) == "1,234.5"


def test_a_stored_text_is_worded_for_each_reader():
    stored = i18n.dumps(plural_text("%(count)s works distributed, %(n)s reviewer each.",
                                    "%(count)s works distributed, %(n)s reviewers each.", 3, {"count": 12}))
    assert i18n.render(stored) == "12 works distributed, 3 reviewers each."
    with i18n.using("ru"):
        assert i18n.render(stored) == "Распределено работ: 12, у каждой 3 проверяющих."
    assert i18n.render("A sentence stored before Texts existed.") == "A sentence stored before Texts existed."


def test_a_broken_translation_falls_back_to_english():
    class Broken:
        """A catalog whose translation names a placeholder the msgid does not have."""

        def gettext(self, _message):
            return "Оценка %(nonexistent)s"

        def ngettext(self, singular, _plural, _n):
            return singular

    with i18n.active(Broken(), "ru"):
        assert Text("Grade %(points)s", {"points": 3}).render() == "Grade 3"


def test_the_language_code_of_the_platform_maps_to_a_catalog():
    assert [i18n.language_code(code) for code in ("ru", "ru-ru", "ru_RU", "en-us", "de", "", None)] == [
        "ru", "ru", "ru", "en", "en", "en", "en"]


def test_the_wheel_ships_the_compiled_catalogs():
    """setup.py's package_data takes every .mo file and JS catalog (a wheel built without them
    would run in English only)."""
    import ast
    import fnmatch

    tree = ast.parse((ROOT / "setup.py").read_text())
    patterns = next(ast.literal_eval(node.value) for node in ast.walk(tree)
                    if isinstance(node, ast.keyword) and node.arg == "package_data")["crosscheck_xblock"]
    package = ROOT / "crosscheck_xblock"
    shipped = [*package.glob("translations/*/LC_MESSAGES/*.mo"), *package.glob("public/js/translations/*/*.js")]
    assert len(shipped) == 6
    missing = [p for p in shipped
               if not any(fnmatch.fnmatch(p.relative_to(package).as_posix(), pattern) for pattern in patterns)]
    assert missing == []
