"""`manage.py crosscheck_telegram_poll`: read the bot's updates by getUpdates (no webhook needed).

    crosscheck_telegram_poll             long-poll until stopped: link chats on /start, unlink on /stop
    crosscheck_telegram_poll --once      one round (what is waiting now), then exit
    crosscheck_telegram_poll --webhook URL   register the webhook instead (with WEBHOOK_SECRET), and exit
    crosscheck_telegram_poll --no-webhook    remove the webhook (polling works again), and exit

Run one poller per bot (Telegram answers a second getUpdates with 409). Every update is acted on
once: its offset is confirmed by the next call, and a replayed /start finds its token used.
"""
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ... import clock, i18n, services
from ...i18n import N_, Text, gettext
from ...notifications import telegram

log = logging.getLogger(__name__)
HELP = N_("Read the Telegram bot's updates (getUpdates): link chats on /start, unlink them on /stop. "
          "Or register or remove the webhook.")


class Command(BaseCommand):
    """Poll the Bot API for updates, or set / delete the webhook."""

    help = HELP  # i18n: code (worded in create_parser, in the site's language)

    def create_parser(self, prog_name, subcommand, **kwargs):
        with i18n.using(i18n.language_code(translation.get_language())):
            self.help = gettext(HELP)
            return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=gettext("One round of updates, then exit."))
        parser.add_argument("--timeout", type=int, default=30,
                            help=gettext("Seconds one getUpdates waits for an update (long polling)."))
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--webhook", metavar="URL",
                           help=gettext("Register this webhook URL (with WEBHOOK_SECRET) instead of polling."))
        group.add_argument("--no-webhook", action="store_true", help=gettext("Remove the webhook."))

    def handle(self, *args, **options):
        with i18n.using(i18n.language_code(translation.get_language())):
            self._handle(*args, **options)

    def _say(self, message: Text) -> None:
        self.stdout.write(message.render())

    def _handle(self, *_args, **options):
        if not telegram.enabled():
            raise CommandError(gettext("Telegram is off: set CROSSCHECK_TELEGRAM[\"BOT_TOKEN\"]."))
        try:
            if options["webhook"]:
                telegram.set_webhook(options["webhook"])
                self._say(Text(N_("Webhook set: %(url)s"), {"url": options["webhook"]}))
                return
            if options["no_webhook"]:
                telegram.delete_webhook()
                self._say(Text(N_("Webhook removed.")))
                return
        except (telegram.TelegramOff, telegram.TelegramUnavailable) as err:
            raise CommandError(str(err)) from err
        offset, timeout = None, max(0, min(options["timeout"], 50))
        while True:
            try:
                updates, offset = telegram.poll(offset, 0 if options["once"] else timeout)
            except telegram.TelegramUnavailable as err:
                if options["once"]:
                    raise CommandError(str(err)) from err
                log.warning("crosscheck_telegram_poll: %s; trying again", err)
                time.sleep(5)
                continue
            for update in updates:
                try:
                    action = services.handle_update(update, clock.now())
                except Exception:  # one bad update must not stop the poller
                    log.exception("crosscheck_telegram_poll: update %s failed", update.get("update_id"))
                    continue
                if action:
                    self._say(Text(N_("Update %(id)s: %(action)s"), {"id": str(update.get("update_id")),
                                                                    "action": action}))
            if options["once"]:
                if offset is not None:
                    telegram.poll(offset, 0)  # confirm what was read, so it is not read again
                self._say(Text(N_("%(n)s update(s) read."), {"n": len(updates)}))
                return
