/* The block in Studio: a static preview of the settings learners see and of the review form.
 * Nothing here calls a handler or saves anything (see crosscheck_xblock/preview.py). Texts are
 * set with textContent; checklist item HTML comes sanitized from the server. */
function CrossCheckPreview(runtime, element) {
  "use strict";  // i18n: code
  var root = element.querySelector ? element : element[0];
  var box = root.querySelector(".cc-preview");
  var init = JSON.parse(box.querySelector("script.cc-preview-init").textContent);
  CrossCheckCommon.setLanguage(init.language);
  var el = CrossCheckCommon.el, t = CrossCheckCommon.t;

  box.querySelector(".cc-preview-note").textContent = init.note;
  if (init.error) {
    var problem = box.querySelector(".cc-error");
    problem.textContent = init.error;
    problem.hidden = false;
    return;
  }
  var settings = init.settings;
  box.querySelector(".cc-title").textContent = settings.display_name;

  function when(iso) { return iso ? CrossCheckCommon.fmtDate(iso) : t("not set"); }

  box.querySelector(".cc-preview-settings").appendChild(el("dl", {"class": "cc-preview-list"}, [
    el("dt", {text: t("Learners submit")}), el("dd", {text: settings.submission_help}),
    el("dt", {text: t("Reviews per work")}), el("dd", {text: CrossCheckCommon.fmtNumber(settings.reviews_per_work)}),
    el("dt", {text: t("Maximum score")}), el("dd", {text: CrossCheckCommon.fmtPoints(settings.max_score)}),
    el("dt", {text: t("Grading policy")}),
    el("dd", {text: t("%(policy)s: %(text)s", {policy: settings.policy_label || settings.grading_policy,
                                               text: settings.policy_text})}),
    el("dt", {text: t("Submission deadline")}), el("dd", {text: when(settings.submission_due)}),
    el("dt", {text: t("Cross-check")}),
    el("dd", {text: settings.review_start || settings.review_due
      ? t("%(start)s – %(end)s", {start: when(settings.review_start), end: when(settings.review_due)})
      : when("")})
  ]));
  var status = el("p", {"class": "cc-note cc-preview-status", role: "status"});
  var section = box.querySelector(".cc-preview-form");
  var heading = el("h3", {"class": "cc-preview-heading", text: t("The review form")});
  heading.id = "cc-preview-" + Math.random().toString(36).slice(2, 8) + "-form";  // Studio may render twice
  section.setAttribute("aria-labelledby", heading.id);
  section.appendChild(heading);
  section.appendChild(CrossCheckForms.form({
    items: init.checklist.items, maxScore: settings.max_score, className: "cc-review-form",
    initial: {}, bestWork: true, submitLabel: t("Submit review (preview: nothing is sent)"),
    onSubmit: function () {
      status.textContent = t("Preview only: nothing was sent or saved.");
      return Promise.resolve();
    }}));
  section.appendChild(status);
}
