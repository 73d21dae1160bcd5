"""How learners appear to each other (M3): "Work N" and "Reviewer N", in the reader's language.
Nothing else about another learner is ever shown to a learner."""
from .i18n import N_, Text


def work_title(number: int) -> Text:
    """A work as its reviewer knows it: "Work 3" / "Работа 3"."""
    return Text(N_("Work %(number)s"), {"number": str(number)})


def reviewer_title(number: int) -> Text:
    """A reviewer as the author knows them: "Reviewer 2" / "Проверяющий 2"."""
    return Text(N_("Reviewer %(number)s"), {"number": str(number)})
