"""The plugin's Django views in the LMS: pages outside any block (see urls.py).

Each is thin like a handler: who asks (compat), one service call, the page. Data travels into the
page as an escaped JSON script element and is put into it with textContent (overview.js), so
nothing a course author or learner wrote can run as markup.
"""
import json
import logging

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from . import clock, compat, downloads, i18n, pages, services
from .errors import CrossCheckError, NotAllowed
from .handlers import json_script_tag
from .i18n import gettext
from .notifications import telegram

log = logging.getLogger(__name__)


@require_safe
def course_overview(request, course_id: str):
    """`/crosscheck/courses/<course id>/`: the signed-in learner's cross-checks of the course, newest
    first (S4). Not signed in: 403 with a link to sign in; not enrolled: 403; no such course: 404."""
    language = i18n.language_code(compat.current_language())
    with i18n.active(i18n.catalog(language), language):
        init = {"language": language}
        status, viewer = 200, None
        try:
            viewer = compat.course_viewer(request, course_id)
            student_id = viewer.student_id if viewer is not None else None
            init["overview"] = services.course_overview(
                course_id, student_id, clock.now(),
                unit_url=lambda usage_key: compat.unit_url(usage_key, course_id, viewer))
        except CrossCheckError as err:
            status = err.status
            init.update(error=err.message, code=err.code,
                        login_url=compat.login_url(request) if err.code == "not_signed_in" else None)
        body = pages.course_page(json_script_tag(init, "cc-init"), compat.course_home_url(course_id, viewer))
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"  # the learner's own rows
    return response


MAX_UPDATE_BYTES = 64 * 1024  # one Telegram update is a few kB


@csrf_exempt  # Telegram posts here; the secret header is the check
@require_POST
def telegram_webhook(request):
    """`/crosscheck/telegram/webhook/`: Telegram's updates (setWebhook with our secret_token).
    Telegram off: 404; a wrong or missing X-Telegram-Bot-Api-Secret-Token: 403; a body that is not
    one JSON update: 400 (all before anything changes). Else `/start <token>` links the chat,
    `/stop` unlinks it, anything else is ignored; 200 with what was done."""
    if not telegram.enabled():
        return JsonResponse({"ok": False, "error": "telegram_off"}, status=404)
    if not telegram.check_webhook_secret(request.headers.get(telegram.SECRET_HEADER)):
        return JsonResponse({"ok": False, "error": "bad_secret"}, status=403)
    if len(request.body) > MAX_UPDATE_BYTES:
        return JsonResponse({"ok": False, "error": "too_large"}, status=413)
    try:
        update = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        update = None
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return JsonResponse({"ok": False, "error": "bad_update"}, status=400)
    try:
        action = services.handle_update(update, clock.now())
    except CrossCheckError as err:
        return JsonResponse({"ok": False, "error": err.code}, status=err.status)
    return JsonResponse({"ok": True, "action": action})


@require_GET  # not HEAD: it would read the whole export for nothing
def export_download(request, token: str):
    """`/crosscheck/exports/<token>/`: a staff export as a stream (staff_export checked who asks and
    what, then redirected here; downloads.py). A token that is not ours, changed or expired: 403
    `bad_download_link` / `expired_download_link`; made for another user: 403 `wrong_user`; its task
    gone: 404 `unknown_task`; all before anything is read. Else the CSV, sent as it is read, a
    chunk of works at a time (StreamingHttpResponse)."""
    language = i18n.language_code(compat.current_language())
    try:
        with i18n.active(i18n.catalog(language), language):
            wanted = downloads.read(token)
        language = i18n.language_code(wanted.get("language"))
        with i18n.active(i18n.catalog(language), language):
            if wanted.get("user") is not None and compat.request_user_key(request) != wanted["user"]:
                raise NotAllowed(gettext("This download link was made for someone else: sign in as yourself and "
                                         "download the export again from the staff page."), "wrong_user")
            task = services.read_task(wanted["block"])
            pieces = downloads.pieces(task, wanted, clock.now())  # the header row worded here
    except CrossCheckError as err:
        # Logged here, without the token; Django would log the path (the token in it) of a 4xx.
        log.info("crosscheck export_download refused: %s", err.code)
        response = JsonResponse(err.as_json(), status=err.status)
        response._has_been_logged = True  # Django's own flag (django.utils.log.log_response)
        response["Cache-Control"] = "private, no-store"
        return response
    response = StreamingHttpResponse((piece.encode("utf-8") for piece in pieces), content_type=downloads.CONTENT_TYPE)
    for name, value in downloads.headers(wanted["kind"]).items():
        response[name] = value
    return response
