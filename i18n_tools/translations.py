"""Extract, update, compile and check the block's catalogs (Babel; the JS catalog through
django-statici18n, as Open edX XBlocks ship theirs).

    python -m i18n_tools.translations update   # sources → .po (new strings empty, old ones dropped)
    python -m i18n_tools.translations compile  # .po → .mo and the JS catalogs
    python -m i18n_tools.translations check    # what is missing, fuzzy or stale (exit 1 if anything)
    python -m i18n_tools.translations apply ru FILE.json  # fill translations from {msgid: text | [forms]}

Two domains, as Django names them: `text` (Python and templates; XBlockI18nService's name) and
`djangojs` (the static JS). English is the source language: its catalogs repeat each msgid, so
that every catalog is complete by the same rule.
"""
import io
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "crosscheck_xblock"
LOCALE_DIR = PACKAGE / "translations"
JS_DIR = PACKAGE / "public" / "js" / "translations"
JS_NAMESPACE = "CrossCheckI18N"
LANGUAGES = ("en", "ru")
DOMAINS = {
    "text": {
        "methods": [("**/migrations/**", "ignore"), ("**.py", "python"),
                    ("templates/**.html", "i18n_tools.django_templates:extract")],
        # `_` is Django's gettext_lazy (the field labels Studio shows); Text/plural_text build
        # sentences that are worded when read (crosscheck_xblock.i18n).
        "keywords": {"gettext": None, "ngettext": (1, 2), "N_": None, "_": None,
                     "plural_text": (1, 2), "trans": None},
    },
    "djangojs": {
        "methods": [("static/js/**.js", "javascript")],
        "keywords": {"t": None, "nt": (1, 2)},
    },
}
COMMENT_TAGS = ["Translators:"]


def po_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def extracted(domain: str) -> Catalog:
    """Every marked string of the sources, as a template catalog."""
    spec = DOMAINS[domain]
    template = Catalog(project="crosscheck-xblock", domain=domain)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, spec["methods"], keywords=spec["keywords"], comment_tags=COMMENT_TAGS,
            strip_comment_tags=True):
        template.add(message, None, [(f"crosscheck_xblock/{filename}", lineno)],
                     auto_comments=comments, context=context)
    return template


def read(language: str, domain: str) -> Catalog:
    path = po_path(language, domain)
    if not path.exists():
        return Catalog(locale=language, domain=domain, project="crosscheck-xblock", version="0.1",
                       copyright_holder="crosscheck-xblock developers", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=domain)


def _english(catalog: Catalog) -> None:
    """The source language: each msgstr is its msgid."""
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")


def update() -> None:
    """Bring every .po up to the sources: new strings added (empty), gone ones dropped."""
    for domain in DOMAINS:
        for language in LANGUAGES:
            catalog = read(language, domain)
            # A template of its own per language: Babel's update adopts the template's messages.
            catalog.update(extracted(domain), no_fuzzy_matching=True)
            catalog.fuzzy = False
            catalog.language_team = "crosscheck-xblock"
            catalog.last_translator = "crosscheck-xblock developers"
            catalog.revision_date = datetime.now(UTC)
            catalog.obsolete.clear()
            if language == "en":
                _english(catalog)
            path = po_path(language, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, omit_header=False, sort_output=True)


def mo_bytes(language: str, domain: str) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, read(language, domain), use_fuzzy=False)
    return buffer.getvalue()


def js_catalogs(outputdir: Path) -> None:
    """The JS catalog of each language, as compilejsi18n writes it (a namespaced django.catalog)."""
    import os  # noqa: PLC0415 - Django is configured only for this step

    os.environ["DJANGO_SETTINGS_MODULE"] = "i18n_tools.js_settings"
    import django  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    django.setup()
    for language in LANGUAGES:
        call_command("compilejsi18n", locale=language, domain="djangojs", namespace=JS_NAMESPACE,
                     outputdir=str(outputdir), verbosity=0)


def compile_all() -> None:
    """.po → .mo for both domains, then the JS catalogs from the djangojs .mo files."""
    for domain in DOMAINS:
        for language in LANGUAGES:
            po_path(language, domain).with_suffix(".mo").write_bytes(mo_bytes(language, domain))
    js_catalogs(JS_DIR)


def problems() -> list[str]:
    """Everything that makes the catalogs wrong: strings not in a catalog (or gone from the
    sources), untranslated or fuzzy entries, and .mo or JS files older than their .po."""
    found = []
    for domain in DOMAINS:
        wanted = {message.id for message in extracted(domain) if message.id}
        for language in LANGUAGES:
            catalog = read(language, domain)
            have = {message.id for message in catalog if message.id}
            found += [f"{language}/{domain}: not in the catalog: {m!r}" for m in sorted(wanted - have, key=str)]
            found += [f"{language}/{domain}: no longer in the sources: {m!r}" for m in sorted(have - wanted, key=str)]
            for message in catalog:
                if not message.id:
                    continue
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if not all(strings):
                    found.append(f"{language}/{domain}: untranslated: {message.id!r}")
                if message.fuzzy:
                    found.append(f"{language}/{domain}: fuzzy: {message.id!r}")
                # Babel's checkers (what `msgfmt -c` checks): a python-format msgstr must use the
                # msgid's placeholders and no stray `%` directive.
                found += [f"{language}/{domain}: {error} in {message.id!r}" for error in message.check(catalog)]
            mo = po_path(language, domain).with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != mo_bytes(language, domain):
                found.append(f"{language}/{domain}: {mo.name} is stale: run `make translations`")
    with tempfile.TemporaryDirectory() as tmp:
        js_catalogs(Path(tmp))
        for language in LANGUAGES:
            fresh = Path(tmp) / language / "djangojs.js"
            shipped = JS_DIR / language / "djangojs.js"
            if not shipped.exists() or shipped.read_text() != fresh.read_text():
                found.append(f"{language}: the JS catalog is stale: run `make translations`")
    return found


def apply(language: str, path: Path) -> list[str]:
    """Write the translations of a JSON file ({msgid: text, or the list of plural forms}) into
    the language's catalogs; answers the msgids that are in no catalog."""
    import json  # noqa: PLC0415

    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
    used = set()
    for domain in DOMAINS:
        catalog = read(language, domain)
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in wanted:
                value = wanted[key]
                message.string = tuple(value) if isinstance(message.id, tuple) else value
                message.flags.discard("fuzzy")
                used.add(key)
        with po_path(language, domain).open("wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True)
    return sorted(set(wanted) - used)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "apply" and len(argv) == 4:
        for missing in apply(argv[2], Path(argv[3])):
            print(f"not in any catalog (run update first?): {missing!r}")
    elif command == "check":
        found = problems()
        print("\n".join(found) or "The catalogs are complete and compiled.")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
