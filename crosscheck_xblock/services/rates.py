"""The numbers staff choose a warning rule by: both rules measured on simulated classes.

Studio (next to the rule) and the staff analytics (next to the task's own counts) show them.
No models: the simulation is pure (scoring.simulation) and memoised in the process.
"""
from ..i18n import N_, Text, gettext
from ..scoring import simulation
from ..scoring.warning_rules import MIN_SCORES
from .guard import guarded

RATES_SCENARIO_TEXT = N_("simulated classes in which one reviewer in five is careless (full marks for "
                         "everyone, random scores, about the class average for everyone, 25 points too "
                         "harsh, or full marks for friends) and the others are honest, each with their "
                         "own bias and scatter")


@guarded
def simulated_rates(k: int, share: float, max_score: float) -> dict | None:
    """Both warning rules measured on simulated classes with this k, threshold (a share of the
    maximum) and maximum score: the share of honest reviewers each warns and of careless ones
    it catches. Memoised in the process (scoring.simulation.warning_rates); None for settings
    the simulation cannot take."""
    try:
        # Rounded, so 15 % typed in Studio and 0.15 from the settings copy share one cache entry.
        rates = simulation.warning_rates(int(k), round(float(share), 6), float(max_score))
    except (TypeError, ValueError):
        return None
    note = "" if rates.k >= MIN_SCORES else Text(
        N_("With fewer than %(min)s reviews per work neither rule can tell who is off, so neither warns "
           "anybody."), {"min": MIN_SCORES}).render()
    return {
        "k": rates.k, "threshold": rates.threshold, "max_score": rates.max_score,
        "classes": rates.runs, "learners": rates.learners, "scenario": rates.scenario,
        "scenario_text": gettext(RATES_SCENARIO_TEXT),
        "honest_reviewers": rates.honest_reviewers, "careless_reviewers": rates.careless_reviewers,
        "rules": {
            "fixed": {"honest_warned": round(rates.fixed_honest, 4),
                      "careless_caught": round(rates.fixed_careless, 4)},
            "evidence": {"honest_warned": round(rates.evidence_honest, 4),
                         "careless_caught": round(rates.evidence_careless, 4)},
            "none": {"honest_warned": 0.0, "careless_caught": 0.0},
        },
        "note": note,
    }
