/* The Studio editor's "Warnings, aggregation and appeals" section (for studio.js): the warning
 * rule, outlier threshold, appeal window and aggregation, each with its one-line explanation, and
 * beside the rule the simulated rates of every rule. Plain JS, no build step.
 *
 * `page` is the editor's shared view (studio.js): {box, form, init, uid, field(name), $(sel),
 * numberValue(name)}.
 */
function CrossCheckStudioGrading(page) {
  "use strict";  // i18n: code
  var $ = page.$, field = page.field, form = page.form, init = page.init, uid = page.uid;
  var el = CrossCheckCommon.el, t = CrossCheckCommon.t, nt = CrossCheckCommon.nt;

  var rates = init.warning_rates;  // the simulated rates for the saved k, threshold and maximum

  /** A choice's name as people read it: the server's label where it sends one, else its value. */
  function choiceLabel(choice) { return choice.label || choice.value; }

  function choiceHelp(list, value) {
    var found = list.filter(function (choice) { return choice.value === value; })[0];
    return found ? found.help : "";
  }

  /** A labelled input with its one-line explanation, wired for screen readers. */
  function labelledField(name, label, input, help) {
    input.id = uid + "-" + name;
    input.setAttribute("aria-describedby", uid + "-help-" + name);
    return el("div", {"class": "ccs-field"}, [
      el("label", {"for": input.id, text: label}), input,
      el("p", {"class": "ccs-help", "data-help": name, id: uid + "-help-" + name, text: help || ""})]);
  }

  /** The fieldset of the four grading options, after the Task fieldset. Built here rather than
   * in the template so that the choices and their explanations come from the server. */
  function buildGradingOptions() {
    function select(name, choices) {
      return el("select", {name: name}, choices.map(function (choice) {
        return el("option", {value: choice.value, text: choiceLabel(choice)});
      }));
    }
    var range = init.ranges;
    var group = el("fieldset", {"class": "ccs-group ccs-grading"}, [
      el("legend", {text: t("Warnings, aggregation and appeals")}),
      labelledField("warning_rule", t("Warning rule at grading"), select("warning_rule", init.warning_rules)),
      // The table is drawn again on every change (not a live region: it would be read whole);
      // the note under it, which says whether the numbers fit the form, is one.
      el("div", {"class": "ccs-rates"}),
      el("p", {"class": "ccs-help ccs-rates-stale", role: "status"}),
      el("div", {"class": "ccs-row"}, [
        labelledField("outlier_threshold", t("Outlier threshold (percent of the maximum score)"),
          el("input", {type: "number", name: "outlier_threshold", step: "any",
                       min: range.outlier_threshold[0], max: range.outlier_threshold[1]}),
          t("How far a score may be from the other scores of its work before the fixed rule leaves it out (the proposal says 15–20 %); a staff re-check warns at the same distance.")),
        labelledField("appeal_days", t("Appeal window (days)"),
          el("input", {type: "number", name: "appeal_days", step: "0.5",
                       min: range.appeal_days[0], max: range.appeal_days[1]}),
          t("After grading, learners whose link did not change after the deadline may appeal for this many days; 0 turns appeals off."))
      ]),
      labelledField("aggregation", t("Aggregation"), select("aggregation", init.aggregations)),
      labelledField("calibration_works", t("Calibration set (works staff grade)"),
        el("input", {type: "number", name: "calibration_works", step: "1",
                     min: range.calibration_works[0], max: range.calibration_works[1]}),
        t("At the start the block picks this many works (3–10 recommended) for course staff to grade with the checklist during the review period; the grades then move every peer grade by the class offset they show, as far as they support it. 0: off."))
    ]);
    // The comment rule: which comments a review needs before it can be submitted.
    var comments = el("fieldset", {"class": "ccs-group ccs-comments"}, [
      el("legend", {text: t("Comments that justify the points")}),
      el("div", {"class": "ccs-row"}, [
        labelledField("comment_rule", t("Comments required"), select("comment_rule", init.comment_rules)),
        labelledField("comment_min_chars", t("Minimum comment length (characters)"),
          el("input", {type: "number", name: "comment_min_chars", step: "1",
                       min: range.comment_min_chars[0], max: range.comment_min_chars[1]}),
          t("Spaces at the start and end are not counted. Drafts are never refused; self-checks and staff re-checks need no comments."))
      ])
    ]);
    // D4: extra reviews for works whose reviewers did not show up.
    var extra = el("fieldset", {"class": "ccs-group ccs-extras"}, [
      el("legend", {text: t("Extra reviews")}),
      el("div", {"class": "ccs-row"}, [
        labelledField("extra_reviews_limit", t("Extra reviews per learner"),
          el("input", {type: "number", name: "extra_reviews_limit", step: "1",
                       min: range.extra_reviews_limit[0], max: range.extra_reviews_limit[1]}),
          t("A learner who finished their reviews may review works that lack reviews, up to this many; 0 turns it off.")),
        labelledField("extra_lease_hours", t("Extra review lease (hours)"),
          el("input", {type: "number", name: "extra_lease_hours", step: "1",
                       min: range.extra_lease_hours[0], max: range.extra_lease_hours[1]}),
          t("A taken work stays the learner's for this long; unreviewed by then, it returns to the pool.")),
        labelledField("extra_window_hours", t("Extra reviews only, before the end (hours)"),
          el("input", {type: "number", name: "extra_window_hours", step: "1",
                       min: range.extra_window_hours[0], max: range.extra_window_hours[1]}),
          t("The assigned reviews are due this many hours before the end; then only extra reviews are taken, for works still short of reviews (24 with 5 extra reviews per learner fills nearly every work; see the README). 0: assigned reviews are due at the end."))
      ])
    ]);
    var task = form.querySelector(".ccs-group");
    form.insertBefore(group, task.nextSibling);
    form.insertBefore(comments, group.nextSibling);
    form.insertBefore(extra, comments.nextSibling);
    field("comment_rule").addEventListener("change", showChoiceHelp);
    field("warning_rule").addEventListener("change", showChoiceHelp);
    field("aggregation").addEventListener("change", showChoiceHelp);
    ["reviews_per_work", "max_score", "outlier_threshold"].forEach(function (name) {
      field(name).addEventListener("input", showRatesFreshness);
    });
  }

  /** The explanations of the chosen rule and aggregation, and the rates with the rule marked. */
  function showChoiceHelp() {
    page.box.querySelector("[data-help=warning_rule]").textContent = choiceHelp(init.warning_rules, field("warning_rule").value);
    page.box.querySelector("[data-help=aggregation]").textContent = choiceHelp(init.aggregations, field("aggregation").value);
    page.box.querySelector("[data-help=comment_rule]").textContent = choiceHelp(init.comment_rules, field("comment_rule").value);
    renderRates();
  }

  /** Next to the rule: how often each rule warns honest reviewers and catches careless ones, from
   * the project's simulation for the saved k, threshold and maximum score. */
  function renderRates() {
    var node = $(".ccs-rates");
    node.textContent = "";
    if (!rates) {
      node.appendChild(el("p", {"class": "ccs-help", text: t("Save valid settings to see how often each rule warns.")}));
      showRatesFreshness();
      return;
    }
    // Every rule, under its own name, the chosen one's heading saying so (a whole phrase, not
    // a label with a suffix: ratesTable's `mark` stays empty); the layout is in studio.css.
    var chosen = field("warning_rule").value;
    node.appendChild(CrossCheckCommon.ratesTable(init.warning_rules.map(function (rule) {
      var label = choiceLabel(rule);
      return {rule: rule.value, label: rule.value === chosen ? t("%(rule)s (chosen)", {rule: label}) : label};
    }), {
      simulated: rates,
      marked: chosen, mark: "",
      tableClass: "ccs-rates-table", rowClass: "ccs-rate", markedClass: "ccs-rate-chosen",
      caption: nt("How often each rule warns, measured on %(n)s simulated class of %(learners)s learners (k = %(k)s, threshold %(threshold)s, maximum %(max)s).",
                  "How often each rule warns, measured on %(n)s simulated classes of %(learners)s learners each (k = %(k)s, threshold %(threshold)s, maximum %(max)s).",
                  rates.classes, {learners: rates.learners, k: rates.k,
                                  threshold: CrossCheckCommon.percent(rates.threshold),
                                  max: CrossCheckCommon.fmtPoints(rates.max_score)}),
      captionClass: "ccs-help"
    }));
    // The simulated classes described (the server's words), and why rules may not warn at all.
    if (rates.scenario_text) {
      node.appendChild(el("p", {"class": "ccs-help ccs-rates-scenario",
                                text: t("The simulation: %(scenario)s.", {scenario: rates.scenario_text})}));
    }
    if (rates.note) { node.appendChild(el("p", {"class": "ccs-help ccs-rates-note", text: rates.note})); }
    showRatesFreshness();
  }

  /** The numbers are for the saved settings: say so when the form holds other ones. */
  function showRatesFreshness() {
    var note = $(".ccs-rates-stale");
    if (!rates) { note.textContent = ""; return; }
    var same = page.numberValue("reviews_per_work") === rates.k && page.numberValue("max_score") === rates.max_score &&
      Math.abs(page.numberValue("outlier_threshold") - rates.threshold * 100) < 1e-6;
    // Emptied rather than hidden: a live region must stay in the page to be read when it changes.
    var text = same ? "" : t("These numbers are for the saved k, threshold and maximum; save to measure the new ones.");
    if (note.textContent !== text) { note.textContent = text; }
  }

  buildGradingOptions();

  return {
    showChoiceHelp: showChoiceHelp,
    /** The rates a save answered (studio_submit's warning_rates): shown from the next
     * showChoiceHelp on (fillForm calls it). */
    setRates: function (saved) { rates = saved; }
  };
}
