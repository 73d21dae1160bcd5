/* The Studio editor's "Warnings, aggregation and appeals" section (for studio.js): the warning
 * rule, outlier threshold, appeal window and aggregation, each with its one-line explanation, and
 * beside the rule the simulated rates of every rule. Plain JS, no build step.
 *
 * `page` is the editor's shared view (studio.js): {box, form, init, uid, field(name), $(sel),
 * numberValue(name)}.
 */
function CrossCheckStudioGrading(page) {
  "use strict";
  var $ = page.$, field = page.field, form = page.form, init = page.init, uid = page.uid;
  var el = CrossCheckCommon.el;

  var rates = init.warning_rates;  // the simulated rates for the saved k, threshold and maximum

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
        return el("option", {value: choice.value, text: choice.value});
      }));
    }
    var range = init.ranges;
    var group = el("fieldset", {"class": "ccs-group ccs-grading"}, [
      el("legend", {text: "Warnings, aggregation and appeals"}),
      labelledField("warning_rule", "Warning rule at grading", select("warning_rule", init.warning_rules)),
      el("div", {"class": "ccs-rates", "aria-live": "polite"}),
      el("div", {"class": "ccs-row"}, [
        labelledField("outlier_threshold", "Outlier threshold (% of the maximum score)",
          el("input", {type: "number", name: "outlier_threshold", step: "any",
                       min: range.outlier_threshold[0], max: range.outlier_threshold[1]}),
          "How far a score may be from the other scores of its work before the fixed rule leaves it " +
          "out (the proposal says 15–20 %); a staff re-check warns at the same distance."),
        labelledField("appeal_days", "Appeal window (days)",
          el("input", {type: "number", name: "appeal_days", step: "0.5",
                       min: range.appeal_days[0], max: range.appeal_days[1]}),
          "After grading, learners whose link did not change after the deadline may appeal for " +
          "this many days; 0 turns appeals off.")
      ]),
      labelledField("aggregation", "Aggregation", select("aggregation", init.aggregations))
    ]);
    var task = form.querySelector(".ccs-group");
    form.insertBefore(group, task.nextSibling);
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
    renderRates();
  }

  /** Next to the rule: how often each rule warns honest reviewers and catches careless ones, from
   * the project's simulation for the saved k, threshold and maximum score. */
  function renderRates() {
    var node = $(".ccs-rates");
    node.textContent = "";
    if (!rates) {
      node.appendChild(el("p", {"class": "ccs-help", text: "Save valid settings to see how often each rule warns."}));
      return;
    }
    // Every rule, under its own name; the layout of the table is in studio.css (.ccs-rates-table).
    node.appendChild(CrossCheckCommon.ratesTable(init.warning_rules.map(function (rule) {
      return {rule: rule.value, label: rule.value};
    }), {
      simulated: rates,
      marked: field("warning_rule").value, mark: " (chosen)",
      tableClass: "ccs-rates-table", rowClass: "ccs-rate", markedClass: "ccs-rate-chosen",
      caption: "How often each rule warns, measured on " + rates.classes + " " + rates.scenario_text +
        " (" + rates.learners + " learners each; k = " + rates.k + ", threshold " +
        Math.round(rates.threshold * 1000) / 10 + " %, maximum " + rates.max_score + ").",
      captionClass: "ccs-help"
    }));
    if (rates.note) { node.appendChild(el("p", {"class": "ccs-help ccs-rates-note", text: rates.note})); }
    node.appendChild(el("p", {"class": "ccs-help ccs-rates-stale", hidden: true}));
    showRatesFreshness();
  }

  /** The numbers are for the saved settings: say so when the form holds other ones. */
  function showRatesFreshness() {
    var note = $(".ccs-rates-stale");
    if (!note || !rates) { return; }
    var same = page.numberValue("reviews_per_work") === rates.k && page.numberValue("max_score") === rates.max_score &&
      Math.abs(page.numberValue("outlier_threshold") - rates.threshold * 100) < 1e-6;
    note.hidden = same;
    note.textContent = same ? "" : "These numbers are for the saved k, threshold and maximum; save to measure the new ones.";
  }

  buildGradingOptions();

  return {
    showChoiceHelp: showChoiceHelp,
    /** The rates a save answered (studio_submit's warning_rates): shown from the next
     * showChoiceHelp on (fillForm calls it). */
    setRates: function (saved) { rates = saved; }
  };
}
