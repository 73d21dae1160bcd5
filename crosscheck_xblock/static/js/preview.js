/* The block in Studio: a static preview of the settings learners see and of the review form.
 * Nothing here calls a handler or saves anything (see crosscheck_xblock/preview.py). Texts are
 * set with textContent; checklist item HTML comes sanitized from the server. */
function CrossCheckPreview(runtime, element) {
  "use strict";
  var root = element.querySelector ? element : element[0];
  var box = root.querySelector(".cc-preview");
  var init = JSON.parse(box.querySelector("script.cc-preview-init").textContent);
  CrossCheckCommon.setLanguage(init.language);
  var el = CrossCheckCommon.el;

  box.querySelector(".cc-preview-note").textContent = init.note;
  if (init.error) {
    var problem = box.querySelector(".cc-error");
    problem.textContent = init.error;
    problem.hidden = false;
    return;
  }
  var settings = init.settings;
  box.querySelector(".cc-title").textContent = settings.display_name;

  function when(iso) { return iso ? CrossCheckCommon.fmtDate(iso) : "not set"; }

  box.querySelector(".cc-preview-settings").appendChild(el("dl", {"class": "cc-preview-list"}, [
    el("dt", {text: "Learners submit"}), el("dd", {text: settings.submission_help}),
    el("dt", {text: "Reviews per work"}), el("dd", {text: String(settings.reviews_per_work)}),
    el("dt", {text: "Maximum score"}), el("dd", {text: String(settings.max_score)}),
    el("dt", {text: "Grading"}), el("dd", {text: settings.grading_policy + ": " + settings.policy_text}),
    el("dt", {text: "Submission deadline"}), el("dd", {text: when(settings.submission_due)}),
    el("dt", {text: "Cross-check"}), el("dd", {text: when(settings.review_start) + " – " + when(settings.review_due)})
  ]));
  var status = el("p", {"class": "cc-note cc-preview-status", "aria-live": "polite"});
  var section = box.querySelector(".cc-preview-form");
  section.appendChild(el("h3", {text: "The review form"}));
  section.appendChild(CrossCheckForms.form({
    items: init.checklist.items, maxScore: settings.max_score, className: "cc-review-form",
    initial: {}, bestWork: true, submitLabel: "Submit review (preview: nothing is sent)",
    onSubmit: function () {
      status.textContent = "Preview only: nothing was sent or saved.";
      return Promise.resolve();
    }}));
  section.appendChild(status);
}
