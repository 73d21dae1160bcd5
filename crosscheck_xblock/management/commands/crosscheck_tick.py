"""`manage.py crosscheck_tick`: run the cross-check steps that are due, for cron or by hand.

    crosscheck_tick                 distribute / grade every due block now, in this process
    crosscheck_tick --enqueue       queue one Celery task per due block instead
    crosscheck_tick --start-sweep   start (or restart) the self-re-queuing Celery sweep
    crosscheck_tick --status        when the sweep last ran

Every step is idempotent, so overlapping runs, the sweep and page views never do a step twice.
Each block is handled on its own: one whose step fails is reported and the others still run;
the command then exits with status 1, so cron reports it.
"""
import logging

from django.core.management.base import BaseCommand, CommandError

from ... import clock, services, tasks

log = logging.getLogger(__name__)


class Command(BaseCommand):
    """Run due steps now (cron), or queue them, or start the Celery sweep."""

    help = ("Distribute and grade the cross-check blocks whose start or end has passed. Run it from "
            "cron every minute, or once with --start-sweep to let a Celery worker do it.")

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--enqueue", action="store_true",
                           help="Queue a Celery task per due block instead of running the steps here.")
        group.add_argument("--start-sweep", action="store_true",
                           help="Queue the sweep that re-queues itself every CROSSCHECK_SWEEP_SECONDS; "
                                "starting it again replaces the running one.")
        group.add_argument("--status", action="store_true", help="Show when the sweep last ran.")

    def handle(self, *_args, **options):
        now = clock.now()
        if options["start_sweep"]:
            tasks.sweep_due_tasks.delay()
            if tasks.sweep_due_tasks.app.conf.task_always_eager:
                self.stdout.write("Sweep ran once here (Celery runs tasks eagerly: no worker re-runs it).")
            else:
                self.stdout.write(f"Sweep queued; a worker runs it every {tasks.sweep_seconds()} s from now on.")
            return
        if options["status"]:
            status = services.sweep_status()
            self.stdout.write("The sweep has never run." if status is None else
                              f"Sweep chain {status['chain']}: step {status['step']}, last run {status['beat_at']}.")
            return
        due = services.due_tasks(now)
        failed = []
        for usage_key in due:
            if options["enqueue"]:
                tasks.advance_task.delay(usage_key)
                self.stdout.write(f"{usage_key}: queued")
                continue
            try:
                result = services.advance_task(services.find_task(usage_key), now)
            except Exception as err:  # report it, and go on with the other blocks
                log.exception("crosscheck_tick: the due step of %s failed", usage_key)
                failed.append(usage_key)
                self.stdout.write(f"{usage_key}: failed: {type(err).__name__}: {err}")
                continue
            self.stdout.write(f"{usage_key}: {result['message'] if result else 'nothing due'}")
        self.stdout.write(f"{len(due)} due block(s).")
        if failed:
            raise CommandError(f"{len(failed)} of {len(due)} due block(s) failed: {', '.join(failed)}")
