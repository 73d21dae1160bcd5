"""Load the demos: twelve learners who submitted to the demo scenario, a demo under review with
reviews, conversations, a thanks and a complaint, and a finished demo with grades
(cc_workbench/demo.py)."""
from django.core.management.base import BaseCommand
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import get_scenarios

from crosscheck_xblock import clock, schedule, services
from crosscheck_xblock.block import DEMO_SCENARIO, GRADED_SCENARIO, RUNNING_SCENARIO

from ... import demo

LEARNERS = demo.LEARNERS


def scenario_usage_id(description: str) -> str:
    """The usage id the workbench gave the scenario with this description."""
    for scenario in get_scenarios().values():
        if scenario.description == description:
            return scenario.usage_id
    raise LookupError(f"no workbench scenario {description!r}")


class Command(BaseCommand):
    """`manage.py crosscheck_demo [--reset]`"""

    help = ("Put twelve submitted works into the demo scenario, a cross-check under review into the second "
            "demo and a graded one into the third (idempotent; --reset starts over).")

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo tasks' data first.")

    def handle(self, *_args, **options):
        now = clock.now()
        # The finished demo first, the waiting one last, as a course would have made them (the
        # course overview orders tasks by their deadline, undated ones by when their row was made).
        for description in (GRADED_SCENARIO, RUNNING_SCENARIO, DEMO_SCENARIO):
            usage_id = scenario_usage_id(description)
            if options["reset"]:
                services.delete_task(usage_id)
            block = WorkbenchRuntime("staff").get_block(usage_id)
            task = block.live_task()  # the same sync a page view does
            if task.status != schedule.OPEN:
                self.stdout.write(f"{description}: already {task.status}; use --reset to start over.")
                continue
            if description == DEMO_SCENARIO:
                count = demo.load_submitted(task, now)
                self.stdout.write(f"Demo ready: {count} works in {usage_id}. "
                                  f"Learners: {', '.join(LEARNERS)}; staff: staff.")
            elif description == RUNNING_SCENARIO:
                no_shows = demo.load_under_review(block, now)
                absent = " and ".join(sorted(no_shows))
                self.stdout.write(f"Demo under review ready in {usage_id}: reviews, conversations, a thanks "
                                  f"and a complaint (see alice, bob, carol and staff); {absent} never reviewed.")
            else:
                message = demo.load_graded(block, now)
                self.stdout.write(f"Finished demo ready in {usage_id}: {message}")
