"""`manage.py crosscheck_tick`: run the cross-check steps that are due, for cron or by hand.

    crosscheck_tick                 distribute / grade every due block now, in this process
    crosscheck_tick --enqueue       queue one Celery task per due block instead
    crosscheck_tick --start-sweep   start (or restart) the self-re-queuing Celery sweep
    crosscheck_tick --status        when the sweep last ran

With Telegram configured it then sends the notices' outbox (or queues it with --enqueue).

Every step is idempotent, so overlapping runs, the sweep and page views never do a step twice.
Each block is handled on its own: one whose step fails is reported and the others still run;
the command then exits with status 1, so cron reports it.

It speaks the site's language (Django's current one: LANGUAGE_CODE when nothing activated another).
"""
import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ... import clock, i18n, services, tasks
from ...i18n import N_, Text, gettext

log = logging.getLogger(__name__)
HELP = N_("Distribute and grade the cross-check blocks whose start or end has passed. Run it from "
          "cron every minute, or once with --start-sweep to let a Celery worker do it.")


def _language():
    """The command's texts in the site's language."""
    return i18n.using(i18n.language_code(translation.get_language()))


class Command(BaseCommand):
    """Run due steps now (cron), or queue them, or start the Celery sweep."""

    help = HELP  # i18n: code (worded in create_parser, in the site's language)

    def create_parser(self, prog_name, subcommand, **kwargs):
        with _language():
            self.help = gettext(HELP)
            return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--enqueue", action="store_true",
                           help=gettext("Queue a Celery task per due block instead of running the steps here."))
        group.add_argument("--start-sweep", action="store_true",
                           help=gettext("Queue the sweep that re-queues itself every CROSSCHECK_SWEEP_SECONDS; "
                                        "starting it again replaces the running one."))
        group.add_argument("--status", action="store_true", help=gettext("Show when the sweep last ran."))

    def handle(self, *args, **options):
        with _language():
            self._handle(*args, **options)

    def _say(self, message: Text) -> None:
        self.stdout.write(message.render())

    def _telegram(self, enqueue: bool) -> bool:
        """Send (or queue) the Telegram outbox, after the steps made their notices; True if it failed."""
        try:
            if not services.has_pending(clock.now()):
                return False
            if enqueue:
                tasks.deliver_notices.delay()
                self._say(Text(N_("Telegram: delivery queued.")))
                return False
            sent = services.deliver_outbox(clock.now())
        except Exception as err:  # report it; the next run tries again
            log.exception("crosscheck_tick: the Telegram delivery failed")
            self._say(Text(N_("Telegram: failed: %(error)s"), {"error": f"{type(err).__name__}: {err}"}))
            return True
        self._say(Text(N_("Telegram: %(sent)s sent, %(failed)s failed, %(blocked)s blocked, %(off)s not for Telegram."),
                       {key: sent[key] for key in ("sent", "failed", "blocked", "off")}))
        return False

    def _handle(self, *_args, **options):
        now = clock.now()
        if options["start_sweep"]:
            tasks.sweep_due_tasks.delay()
            if tasks.sweep_due_tasks.app.conf.task_always_eager:
                self._say(Text(N_("Sweep ran once here (Celery runs tasks eagerly: no worker re-runs it).")))
            else:
                self._say(Text(N_("Sweep queued; a worker runs it every %(seconds)s s from now on."),
                               {"seconds": tasks.sweep_seconds()}))
            return
        if options["status"]:
            status = services.sweep_status()
            if status is None:
                self._say(Text(N_("The sweep has never run.")))
            else:
                # beat_at: ISO 8601 UTC, as operators compare it with logs.
                self._say(Text(N_("Sweep chain %(chain)s: step %(step)s, last run %(at)s."),
                               {"chain": str(status["chain"]), "step": str(status["step"]), "at": status["beat_at"]}))
            return
        due = services.due_tasks(now)
        failed = []
        notices_failed = False
        try:
            services.due_notices(now)  # the timed notices (N1, N2, N3, N6), each once
        except Exception as err:  # report it, and go on with the steps
            log.exception("crosscheck_tick: the timed notices failed")
            notices_failed = True
            self._say(Text(N_("Notices: failed: %(error)s"), {"error": f"{type(err).__name__}: {err}"}))
        for usage_key in due:
            if options["enqueue"]:
                tasks.advance_task.delay(usage_key)
                self._say(Text(N_("%(block)s: queued"), {"block": usage_key}))
                continue
            try:
                result = services.advance_task(services.find_task(usage_key), now)
            except Exception as err:  # report it, and go on with the other blocks
                log.exception("crosscheck_tick: the due step of %s failed", usage_key)
                failed.append(usage_key)
                self._say(Text(N_("%(block)s: failed: %(error)s"),
                               {"block": usage_key, "error": f"{type(err).__name__}: {err}"}))
                continue
            if result:
                # The step's own sentence (services word it in the current language).
                self._say(Text(N_("%(block)s: %(message)s"), {"block": usage_key, "message": result["message"]}))
            else:
                self._say(Text(N_("%(block)s: nothing due"), {"block": usage_key}))
        self._say(Text(N_("%(n)s due block(s)."), {"n": len(due)}))
        notices_failed = self._telegram(options["enqueue"]) or notices_failed
        if failed:
            raise CommandError(Text(N_("%(failed)s of %(n)s due block(s) failed: %(blocks)s"),
                                    {"failed": len(failed), "n": len(due), "blocks": ", ".join(failed)}).render())
        if notices_failed:
            raise CommandError(Text(N_("The timed notices failed; see the log.")).render())
