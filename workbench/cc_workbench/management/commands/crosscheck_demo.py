"""Load the demo: a dozen learners who already submitted their work to the demo scenario."""
from django.core.management.base import BaseCommand
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import get_scenarios

from crosscheck_xblock import clock, schedule, services
from crosscheck_xblock.block import DEMO_SCENARIO

from ...services import anonymous_id

LEARNERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
            "mallory", "oscar"]


def scenario_usage_id(description: str) -> str:
    """The usage id the workbench gave the scenario with this description."""
    for scenario in get_scenarios().values():
        if scenario.description == description:
            return scenario.usage_id
    raise LookupError(f"no workbench scenario {description!r}")


class Command(BaseCommand):
    """`manage.py crosscheck_demo [--reset]`"""

    help = "Put twelve submitted works into the demo scenario (idempotent; --reset starts over)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo task's data first.")

    def handle(self, *_args, **options):
        usage_id = scenario_usage_id(DEMO_SCENARIO)
        if options["reset"]:
            services.delete_task(usage_id)
        block = WorkbenchRuntime("staff").get_block(usage_id)
        task = block.live_task()  # the same sync a page view does
        if task.status != schedule.OPEN:
            self.stdout.write(f"The demo task is already {task.status}; use --reset to start over.")
            return
        now = clock.now()
        for name in LEARNERS:
            services.submit_work(task, anonymous_id(name), f"https://{name}-portfolio.example.com/",
                                 now, username=name)
        self.stdout.write(f"Demo ready: {len(LEARNERS)} works in {usage_id}. "
                          f"Learners: {', '.join(LEARNERS)}; staff: staff.")
