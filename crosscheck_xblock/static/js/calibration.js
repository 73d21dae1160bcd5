/* Staff grades as anchors (issue 16), in the staff's Analytics tab: the calibration set's works
 * with the checklist form to grade each, the peers' offset against staff with its interval, and
 * the recompute with staff re-checks (preview, then apply). Plain JS; server values as text. */
var CrossCheckCalibration = (function () {
  "use strict";  // i18n: code
  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt, el = CrossCheckCommon.el;
  var fmtPoints = CrossCheckCommon.fmtPoints;

  function estimateText(estimate) {
    if (!estimate) { return t("No staff grades yet: the peers' grades are used as they are."); }
    var offset = estimate.offset;
    return nt("From %(n)s staff grade, the peers' grades are estimated to be %(value)s points from staff's (95-percent interval %(low)s to %(high)s; negative: harsher); every grade moves by %(shift)s.",
              "From %(n)s staff grades, the peers' grades are estimated to be %(value)s points from staff's (95-percent interval %(low)s to %(high)s; negative: harsher); every grade moves by %(shift)s.",
              estimate.anchors, {value: fmtPoints(offset.value), low: fmtPoints(offset.low), high: fmtPoints(offset.high),
                                 shift: fmtPoints(estimate.shift)});
  }

  /** The per-item offsets, in the checklist's order, as list items (item names as plain text). */
  function itemOffsets(estimates, items) {
    return (items || []).filter(function (item) { return estimates && estimates[item.id]; }).map(function (item) {
      var e = estimates[item.id];
      return el("li", {text: t("%(item)s: %(value)s points from staff's (95-percent interval %(low)s to %(high)s)",
                               {item: CrossCheckCommon.plainText(item.html), value: fmtPoints(e.value),
                                low: fmtPoints(e.low), high: fmtPoints(e.high)})});
    });
  }

  /** ctx: {call, showError, announce, items, maxScore, status}. */
  function render(container, data, ctx, message) {
    container.textContent = "";
    var section = el("section", {"class": "cc-calibration", "aria-labelledby": "cc-calibration-title"}, [
      el("h4", {id: "cc-calibration-title", text: t("Calibration against staff grades")}),
      el("p", {"class": "cc-note cc-calibration-estimate", text: estimateText(data.estimate)})]);
    var perItem = data.estimate && data.estimate.items_applied ? itemOffsets(data.estimate.items, ctx.items) : [];
    if (perItem.length) {  // issue 16: graded item by item, each item moves by its own offset
      section.appendChild(el("p", {"class": "cc-note", text: t("Item by item (each item of every grade moves by minus its offset):")}));
      section.appendChild(el("ul", {"class": "cc-calibration-items"}, perItem));
    }
    if (message) { section.appendChild(el("p", {"class": "cc-ok", role: "status", text: message})); }
    if (!data.enabled) {
      section.appendChild(el("p", {"class": "cc-note", text: t("This task has no calibration set (Studio: Calibration set). Staff re-checks still count as anchors for a recompute.")}));
    } else if (!data.works.length) {
      section.appendChild(el("p", {"class": "cc-note", text: nt("The block picks %(n)s work for you to grade when the cross-check starts.",
                                                                "The block picks %(n)s works for you to grade when the cross-check starts.", data.size)}));
    }
    data.works.forEach(function (row) {
      var item = el("div", {"class": "cc-calibration-work", "data-work": String(row.work_id)}, [
        el("p", {}, [el("strong", {text: row.learner}), " ", el("a", {href: row.url, rel: "noopener noreferrer", target: "_blank", text: row.url})]),  // i18n: code
        el("p", {"class": "cc-note", text: row.graded ? t("Your grade: %(points)s of %(max)s", {points: fmtPoints(row.total), max: ctx.maxScore})
                                                      : t("Not graded yet")})]);
      if (data.open) {
        item.appendChild(el("details", {"class": "cc-calibration-grade"}, [
          el("summary", {text: row.graded ? t("Change your grade of this work") : t("Grade this work with the checklist")}),
          CrossCheckForms.form({items: ctx.items, maxScore: ctx.maxScore, className: "cc-calibration-form", bestWork: false,
            label: row.learner, initial: row.graded ? row : {}, submitLabel: t("Save staff grade"),
            onSubmit: function (form) {
              ctx.showError("");
              return ctx.call("staff_grade_calibration", Object.assign({work_id: row.work_id}, form)).then(function (fresh) {
                render(container, fresh, ctx, t("Staff grade saved."));
                if (ctx.announce) { ctx.announce(t("Staff grade saved.")); }
              }).catch(function (err) { ctx.showError(err.message); throw err; });
            }})]));
      }
      section.appendChild(item);
    });
    if (ctx.status === "completed") { section.appendChild(recompute(ctx)); }
    container.appendChild(section);
  }

  function recompute(ctx) {
    var box = el("div", {"class": "cc-recompute"}, [
      el("p", {"class": "cc-note", text: t("After grading, staff re-checks are anchors too. Grades never change by themselves: preview what a recompute with every staff grade would change, then apply it.")})]);
    var result = el("div", {"class": "cc-recompute-result", "aria-live": "polite"});
    function run(apply) {
      ctx.showError("");
      ctx.call("staff_recompute", {apply: apply}).then(function (answer) {
        result.textContent = "";
        result.appendChild(el("p", {text: answer.message}));
        if (answer.changes.length) {
          result.appendChild(el("table", {"class": "cc-staff-table cc-recompute-table"}, [
            el("caption", {text: t("Grades a recompute changes")}),
            el("thead", {}, [el("tr", {}, [el("th", {scope: "col", text: t("Learner")}), el("th", {scope: "col", text: t("Now")}),
                                           el("th", {scope: "col", text: t("After the recompute")})])]),
            el("tbody", {}, answer.changes.map(function (change) {
              return el("tr", {}, [el("td", {text: change.learner}), el("td", {text: String(change.before)}),
                                   el("td", {text: String(change.after)})]);
            }))]));
          if (!answer.applied) {
            result.appendChild(el("button", {type: "button", "class": "cc-recompute-apply", text: t("Apply the recompute"),
                                              onclick: function () { run(true); }}));
          }
        }
        if (ctx.announce) { ctx.announce(answer.message); }
      }).catch(function (err) { ctx.showError(err.message); });
    }
    box.appendChild(el("button", {type: "button", "class": "cc-recompute-preview", text: t("Preview a recompute"),
                                  onclick: function () { run(false); }}));
    box.appendChild(result);
    return box;
  }

  return {render: render};
}());
