"""The block in Studio (`author_view`, and `student_view` in Studio's preview): a static preview.

It shows the learner's form and the settings from the block's own (draft) fields, reads and
writes no database, and calls no handler: draft settings never start, grade or change the live
task, whose settings copy follows the published block only (publishing.py). Before the first
publish Studio therefore shows this preview and the editor; the task itself appears when the
published block is first opened in the LMS or the course is published.
"""

from web_fragments.fragment import Fragment

from . import i18n, pages, sanitize
from .checklist import ChecklistError
from .handlers import json_script_tag
from .i18n import N_, Text, gettext
from .services.task_settings import TaskSettings

PREVIEW_NOTE = N_("Preview: this is the form learners fill in for each work they review. Nothing you "
                  "enter here is saved. The cross-check runs in the LMS with the published settings.")


def preview_init(block) -> dict:
    """What the preview shows: the settings a learner sees and the checklist form, or the error
    that keeps the checklist from being used."""
    try:
        config = block.task_config()
    except ChecklistError as err:
        return {"error": Text(N_("The checklist is invalid, so learners could not use it: %(error)s"),
                              {"error": str(err)}).render(), "note": gettext(PREVIEW_NOTE)}
    settings = TaskSettings.from_config(config)
    checklist = settings.checklist.to_public()
    checklist["items"] = sanitize.public_items(checklist["items"])
    return {"settings": settings.public(), "checklist": checklist, "note": gettext(PREVIEW_NOTE)}


def preview_fragment(block) -> Fragment:
    """The preview page: the learner page's styles and form, with its own small script."""
    frag = pages.fragment(block, "crosscheck.css", ("common.js", "form.js", "preview.js"))
    init = {**preview_init(block), "language": i18n.language()}
    frag.add_content(pages.render_template("preview.html").replace(
        "<!--INIT-->", json_script_tag(init, "cc-preview-init")))
    frag.initialize_js("CrossCheckPreview")
    return frag
