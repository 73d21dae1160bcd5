/* The cross-check Studio editor. Plain JS, no build step, no external files.
 *
 * The checklist is edited item by item in the browser; the server does everything that needs
 * a rule: parsing pasted or uploaded JSON/YAML, sanitizing item HTML and totalling for the
 * preview (studio_preview), and validating and saving (studio_submit). Its messages are shown
 * as they come, so the editor never disagrees with what the server accepts.
 *
 * Only the server-sanitized `html` of checklist items is inserted as HTML; every other text
 * goes in with textContent.
 *
 * This file holds the form and the save, and assembles the sections, one view each (loaded
 * before it): the dates (studio_dates.js), the grading options with the simulated rates
 * (studio_grading.js) and the checklist with its preview and import/export (studio_checklist.js).
 * They share `page`: the editor's nodes, its start data and a few lookups.
 */
function CrossCheckStudio(runtime, element) {
  "use strict";  // i18n: code
  var root = element && element.jquery ? element[0] : element;
  var box = root.querySelector(".ccs");
  var init = JSON.parse(box.querySelector("script.ccs-init").textContent);
  CrossCheckCommon.setLanguage(init.language);
  var form = box.querySelector(".ccs-form");
  var uid = "ccs-" + Math.random().toString(36).slice(2, 8);  // unique ids: Studio may render twice

  var baseline = "";     // the rs JSON last saved (or loaded): tells whether the checklist changed
  var confirmed = false; // staff accepted the "cross-check has started" warning for this save
  var saving = false;    // a save is on its way (the button stays focusable: aria-disabled)

  function $(sel) { return box.querySelector(sel); }
  function $$(sel) { return Array.prototype.slice.call(box.querySelectorAll(sel)); }
  function field(name) { return form.elements.namedItem(name); }

  /** The number in an input, or its raw text when it is not one (the server names the problem). */
  function numberValue(name) {
    var value = field(name).value;
    return value !== "" && !isNaN(Number(value)) ? Number(value) : value;
  }

  var el = CrossCheckCommon.el, t = CrossCheckCommon.t;
  var call = CrossCheckCommon.handlerCaller(runtime, root);
  var page = {box: box, form: form, init: init, uid: uid, $: $, $$: $$, field: field, numberValue: numberValue};

  /** Studio's runtime reports save/cancel to the modal; the workbench's may lack notify. */
  function notify(name, data) {
    if (runtime && typeof runtime.notify === "function") { runtime.notify(name, data || {}); }
  }

  // ------------------------------------------------------------------ settings form

  function fillForm(values) {
    field("display_name").value = values.display_name;
    field("submission_kind").value = values.submission_kind;
    field("max_score").value = values.max_score;
    field("reviews_per_work").value = values.reviews_per_work;
    $$("input[name=grading_policy]").forEach(function (radio) { radio.checked = radio.value === values.grading_policy; });
    dates.FIELDS.forEach(function (name) { dates.setDate(name, values[name]); });
    field("adjustment_days").value = values.adjustment_days;
    field("outlier_threshold").value = values.outlier_threshold;
    field("warning_rule").value = values.warning_rule;
    field("aggregation").value = values.aggregation;
    field("appeal_days").value = values.appeal_days;
    field("comment_rule").value = values.comment_rule;
    field("comment_min_chars").value = values.comment_min_chars;
    field("extra_lease_hours").value = values.extra_lease_hours;
    field("extra_reviews_limit").value = values.extra_reviews_limit;
    field("extra_window_hours").value = values.extra_window_hours;
    field("calibration_works").value = values.calibration_works;
    showKindHelp();
    grading.showChoiceHelp();
  }

  function collect() {
    var policy = $$("input[name=grading_policy]").filter(function (r) { return r.checked; })[0];
    var values = {
      display_name: field("display_name").value,
      submission_kind: field("submission_kind").value,
      max_score: numberValue("max_score"),
      reviews_per_work: numberValue("reviews_per_work"),
      grading_policy: policy ? policy.value : "",
      adjustment_days: numberValue("adjustment_days"),
      outlier_threshold: numberValue("outlier_threshold"),
      warning_rule: field("warning_rule").value,
      aggregation: field("aggregation").value,
      appeal_days: numberValue("appeal_days"),
      comment_rule: field("comment_rule").value,
      comment_min_chars: numberValue("comment_min_chars"),
      extra_lease_hours: numberValue("extra_lease_hours"),
      extra_reviews_limit: numberValue("extra_reviews_limit"),
      extra_window_hours: numberValue("extra_window_hours"),
      calibration_works: numberValue("calibration_works"),
      checklist: checklist.text()
    };
    dates.FIELDS.forEach(function (name) { values[name] = dates.dateValue(name); });
    return values;
  }

  function showKindHelp() {
    var kind = field("submission_kind").value;
    var found = init.kinds.filter(function (k) { return k.value === kind; })[0];
    box.querySelector("[data-help=submission_kind]").textContent =
      found ? t("Learners paste %(what)s.", {what: found.help}) : "";
  }

  /** Labels, ids and help links, made here so that two editors on one page never share ids. */
  function buildForm() {
    $$("label[data-for]").forEach(function (label) {
      var name = label.getAttribute("data-for");
      var input = label.querySelector("input") || field(name);
      if (!input || input.type === "file") { return; }
      input.id = uid + "-" + name;
      label.setAttribute("for", input.id);
      var help = box.querySelector("[data-help=" + name + "]");
      if (help) { help.id = uid + "-help-" + name; input.setAttribute("aria-describedby", help.id); }
    });
    var kinds = field("submission_kind");
    init.kinds.forEach(function (kind) { kinds.appendChild(el("option", {value: kind.value, text: kind.label})); });
    var policies = $(".ccs-policies");
    init.policies.forEach(function (policy) {
      policies.appendChild(el("label", {"class": "ccs-policy"}, [
        el("input", {type: "radio", name: "grading_policy", value: policy.value}),
        // The server's label where it sends one (the policy's name otherwise).
        " ", el("strong", {text: policy.label || policy.value}), " — ", policy.help]));
    });
    [["max_score", init.ranges.max_score], ["reviews_per_work", init.ranges.reviews_per_work],
     ["adjustment_days", init.ranges.adjustment_days]].forEach(function (pair) {
      field(pair[0]).min = pair[1][0];
      field(pair[0]).max = pair[1][1];
    });
    $(".ccs-error").id = uid + "-error";
    var heading = $(".ccs-preview-heading");
    heading.id = uid + "-preview-heading";
    $(".ccs-preview").setAttribute("aria-labelledby", heading.id);
    var confirmText = $(".ccs-confirm-text");
    confirmText.id = uid + "-confirm-text";
    $(".ccs-confirm").setAttribute("aria-describedby", confirmText.id);
    if (init.started) {
      var note = $(".ccs-started");
      note.textContent = init.started_warning;
      note.hidden = false;
    }
  }

  // ------------------------------------------------------------------ saving

  /** Point a field at the error message (aria-describedby), or take the pointer back. */
  function describeBy(input, errorId) {
    var own = input.getAttribute("data-ccs-describedby");
    if (own === null) {
      own = input.getAttribute("aria-describedby") || "";
      input.setAttribute("data-ccs-describedby", own);
    }
    var ids = errorId ? (own + " " + errorId).trim() : own;
    if (ids) { input.setAttribute("aria-describedby", ids); } else { input.removeAttribute("aria-describedby"); }
  }

  function showError(error) {
    var node = $(".ccs-error");
    node.textContent = error ? error.error : "";
    node.hidden = !error;
    $$("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      describeBy(input, null);
    });
    $$(".ccs-invalid").forEach(function (row) { row.classList.remove("ccs-invalid"); });
    if (!error) { return; }
    var target = null;
    if (error.field === "checklist") {
      var row = checklist.markItem(error.position);
      target = row ? row.querySelector("textarea") : $(".ccs-items");
    } else if (error.field) {
      target = field(error.field);
      if (target && target.length && !target.nodeName) { target = target[0]; }  // radio group
    }
    if (target && target.setAttribute) {
      target.setAttribute("aria-invalid", "true");
      describeBy(target, node.id);
      if (target.focus) { target.focus(); }
    }
    if (node.scrollIntoView) { node.scrollIntoView({block: "nearest"}); }
  }

  function setStatus(text) { $(".ccs-status").textContent = text; }

  function save() {
    if (saving) { return null; }
    showError(null);
    setStatus("");
    var values = collect();
    if (init.started && values.checklist !== baseline && !confirmed) {
      // Reviews already made keep their checklist version; staff should know before saving.
      $(".ccs-confirm-text").textContent = init.started_warning;
      $(".ccs-confirm").hidden = false;
      $(".ccs-confirm-save").focus();
      return null;
    }
    confirmed = false;
    $(".ccs-confirm").hidden = true;
    // Not disabled: a disabled button loses the keyboard focus; aria-disabled says it is busy.
    var button = $(".ccs-save");
    saving = true;
    button.setAttribute("aria-disabled", "true");
    setStatus(t("Saving…"));
    notify("save", {state: "start", message: t("Saving…")});
    return call("studio_submit", {values: values}).then(function (answer) {
      grading.setRates(answer.warning_rates);
      fillForm(answer.values);
      baseline = values.checklist;
      setStatus(t("Saved."));
      notify("save", {state: "end"});
    }, function (error) {
      setStatus(t("Not saved: see the message at the top."));
      showError(error);
      notify("error", {title: t("The settings were not saved"), message: error.error});
    }).then(function () {
      saving = false;
      button.removeAttribute("aria-disabled");
    });
  }

  // ------------------------------------------------------------------ start

  buildForm();
  var dates = CrossCheckStudioDates(page);
  var grading = CrossCheckStudioGrading(page);  // its fieldset goes in after the Task fieldset
  var checklist = CrossCheckStudioChecklist(page, call);
  fillForm(init.values);
  if (init.preview.checklist) {
    checklist.load(init.preview.checklist);
    baseline = checklist.text();
  } else {
    // The stored checklist is unusable (e.g. bad OLX): offer its text for fixing.
    checklist.offerForFixing(init.values.checklist);
  }
  checklist.renderItems();
  checklist.renderPreview(init.preview);
  if (init.preview.error) { showError(init.preview.error); }

  field("submission_kind").addEventListener("change", showKindHelp);
  form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
  $(".ccs-save").addEventListener("click", function (event) { event.preventDefault(); save(); });
  $(".ccs-cancel").addEventListener("click", function (event) { event.preventDefault(); notify("cancel", {}); });
  $(".ccs-confirm-save").addEventListener("click", function () { confirmed = true; save(); });
  $(".ccs-confirm-back").addEventListener("click", function () { $(".ccs-confirm").hidden = true; $(".ccs-save").focus(); });

  return {save: save, preview: checklist.requestPreview};
}
