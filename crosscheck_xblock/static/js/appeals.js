/* Appeals (A4, F4) on the learner page and in the staff panel, for crosscheck.js.
 *
 * The learner sees their warnings, may appeal their grade naming the disputed checklist items,
 * and later sees the staff re-check. Staff see the appeals (largest spread first), the works
 * with the largest spreads nobody appealed, and re-check a work with the checklist form.
 * Everything a learner wrote (reasons, comments) is set with textContent.
 */
var CrossCheckAppeals = (function () {
  "use strict";

  var el = CrossCheckCommon.el, fmtDate = CrossCheckCommon.fmtDate, fmtPoints = CrossCheckCommon.fmtPoints;

  function scored(items) {
    return items.filter(function (item) { return item.type === "subtask" || item.type === "penalty"; });
  }

  function warningsList(warnings) {
    if (!warnings || !warnings.length) { return null; }
    return el("div", {"class": "cc-warnings", role: "note"}, [
      el("h4", {text: "Warnings"}),
      el("ul", {}, warnings.map(function (warning) {
        return el("li", {"class": "cc-warning cc-warning-" + warning.kind}, [
          warning.message, " ", el("span", {"class": "cc-note", text: "(" + fmtDate(warning.created_at) + ")"})]);
      }))]);
  }

  function recheckBlock(recheck, items, maxScore) {
    var change = recheck.previous_points === null ? "" :
      " Your grade was " + recheck.previous_points + " and is now " + recheck.points + " of " + maxScore + ".";
    return el("div", {"class": "cc-recheck"}, [
      el("p", {"class": "cc-recheck-result", text: "Course staff re-checked your work on " + fmtDate(recheck.resolved_at) +
        ": " + fmtPoints(recheck.total) + " of " + maxScore + "." + change}),
      recheck.comment ? el("p", {"class": "cc-comment", text: recheck.comment}) : null,
      CrossCheckForms.pointsTable(items, [{title: "Staff re-check", assessment: recheck}], "Points per item in the re-check")
    ]);
  }

  /* The learner's form: checkboxes for the disputed items and the reason. */
  function appealForm(appeal, items, submit) {
    var boxes = scored(items).map(function (item) {
      return el("label", {"class": "cc-appeal-item"}, [
        el("input", {type: "checkbox", value: item.id, name: "cc-appeal-item"}), " ", el("span", {html: item.html})]);
    });
    var reason = el("textarea", {"class": "cc-appeal-reason", rows: "4", maxlength: "5000",
                                 "aria-label": "Why the grade is wrong"});
    var button = el("button", {type: "submit", "class": "cc-appeal-submit", text: "Send appeal"});
    return el("form", {"class": "cc-appeal-form", novalidate: true, onsubmit: function (event) {
      event.preventDefault();
      var chosen = boxes.map(function (label) { return label.querySelector("input"); })
        .filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      button.disabled = true;
      submit({reason: reason.value, items: chosen}).catch(function () { return null; })
        .then(function () { button.disabled = false; });
    }}, [
      el("p", {"class": "cc-note", text: "If you think your grade is wrong, ask course staff to re-check your work " +
        "until " + fmtDate(appeal.deadline) + ". Tick the checklist items whose points you dispute and say why. " +
        "Staff re-check the whole work with the same checklist; their result replaces your grade, up or down, and " +
        "reviewers whose scores were far from it are warned. So is an author whose self-check was far from it."}),
      el("fieldset", {"class": "cc-appeal-items"}, [el("legend", {text: "Disputed items"})].concat(boxes)),
      el("label", {"class": "cc-block-label"}, [el("span", {text: "Why the grade is wrong"}), reason]),
      el("div", {"class": "cc-form-actions"}, [button])
    ]);
  }

  /* ctx: {state, call(handler, data) → Promise, onState(fresh), showError(message), readOnly}. */
  function renderLearner(section, ctx) {
    var state = ctx.state;
    section.textContent = "";
    var appeal = state.appeal;
    var warnings = warningsList(state.warnings);
    if (!appeal && !warnings) { return; }
    section.appendChild(el("h3", {text: appeal ? "Appeal" : "Warnings"}));
    if (warnings) { section.appendChild(warnings); }
    if (!appeal) { return; }
    var sent = appeal.submitted;
    if (sent && sent.origin === "learner") {
      var titles = {};
      scored(state.checklist.items).forEach(function (item) {
        var plain = document.createElement("div");
        plain.innerHTML = item.html;  // sanitized by the server; only its text is used
        titles[item.id] = plain.textContent;
      });
      section.appendChild(el("p", {"class": "cc-appeal-status", text: sent.status === "pending"
        ? "You appealed on " + fmtDate(sent.created_at) + ". Course staff will re-check your work."
        : "You appealed on " + fmtDate(sent.created_at) + "."}));
      section.appendChild(el("p", {"class": "cc-note", text: "Disputed items: " +
        sent.items.map(function (id) { return titles[id] || id; }).join("; ")}));
      section.appendChild(el("p", {"class": "cc-comment cc-appeal-reason-sent", text: sent.reason}));
    }
    if (sent && sent.recheck) {
      section.appendChild(recheckBlock(sent.recheck, state.checklist.items, state.settings.max_score));
    } else if (appeal.open && !ctx.readOnly) {
      section.appendChild(appealForm(appeal, state.checklist.items, function (body) {
        ctx.showError("");
        return ctx.call("submit_appeal", body).then(ctx.onState)
          .catch(function (err) { ctx.showError(err.message); throw err; });
      }));
    } else if (!sent && appeal.why_not) {
      section.appendChild(el("p", {"class": "cc-note cc-appeal-closed", text: appeal.why_not}));
    }
  }

  // ------------------------------------------------------------------ staff

  function scoresText(row) {
    var parts = row.reviews.map(function (review) {
      return "Reviewer " + review.reviewer + " (" + review.reviewer_learner + "): " + fmtPoints(review.total);
    });
    if (row.self_check !== null && row.self_check !== undefined) { parts.push("self-check: " + fmtPoints(row.self_check)); }
    return parts.join("; ") || "no reviews";
  }

  function gradeText(grade) {
    if (!grade) { return "–"; }
    return grade.points === null ? grade.status : grade.points + " / " + grade.max;
  }

  /* ctx: {call, showError, items (the checklist), maxScore}. */
  function renderStaff(container, data, ctx, message) {
    container.textContent = "";
    container.appendChild(el("h4", {text: "Appeals (" + data.pending + " waiting)"}));
    if (message) { container.appendChild(el("p", {"class": "cc-ok", text: message})); }
    container.appendChild(el("p", {"class": "cc-note", text: "A re-check replaces the grade and writes it to the " +
      "gradebook; reviewers and self-checks more than " + fmtPoints(data.threshold * 100) + " % of the maximum from " +
      "it are warned." + (data.deadline ? " Learners may appeal until " + fmtDate(data.deadline) + "." : "") +
      (data.can_recheck ? "" : " Re-checks open once the grades are published.")}));

    function recheckButton(row, label) {
      var holder = el("div", {"class": "cc-recheck-holder"});
      var button = el("button", {type: "button", "class": "cc-recheck-open", disabled: !data.can_recheck,
                                 text: label, onclick: function () {
        if (holder.firstChild) { holder.textContent = ""; return; }
        holder.appendChild(CrossCheckForms.form({
          items: ctx.items, maxScore: ctx.maxScore, className: "cc-recheck-form", bestWork: false,
          initial: row.recheck || {}, submitLabel: "Save re-check (replaces the grade)",
          onSubmit: function (form) {
            ctx.showError("");
            return ctx.call("staff_recheck", Object.assign({work_id: row.work_id}, form)).then(function (answer) {
              renderStaff(container, answer.appeals, ctx, answer.result.message);
            }).catch(function (err) { ctx.showError(err.message); throw err; });
          }}));
      }});
      return [button, holder];
    }

    if (!data.appeals.length) {
      container.appendChild(el("p", {"class": "cc-note", text: "No appeals yet."}));
    }
    data.appeals.forEach(function (row) {
      var head = row.learner + " — " + (row.status === "pending" ? "waiting" : "re-checked") +
        (row.origin === "staff" ? " (staff's own re-check)" : "") + ", grade " + gradeText(row.grade) +
        (row.spread === null ? "" : ", spread " + fmtPoints(row.spread));
      var block = el("div", {"class": "cc-work cc-appeal cc-appeal-" + row.status, "data-work": String(row.work_id)}, [
        el("p", {}, [el("strong", {text: head})]),
        el("p", {}, ["Link: ", el("a", {href: row.url, target: "_blank", rel: "noopener noreferrer", text: row.url})]),
        el("p", {"class": "cc-note", text: "Scores: " + scoresText(row)})
      ]);
      if (row.reason) {
        block.appendChild(el("p", {"class": "cc-note", text: "Disputed items: " +
          row.items.map(function (item) { return item.title; }).join("; ")}));
        block.appendChild(el("p", {"class": "cc-comment", text: row.reason}));
      }
      if (row.recheck) {
        block.appendChild(el("p", {"class": "cc-note", text: "Re-checked by " + row.resolved_by + " on " +
          fmtDate(row.recheck.resolved_at) + ": " + fmtPoints(row.recheck.total) +
          (row.recheck.previous_points === null ? "" : " (was " + row.recheck.previous_points + ")") + "."}));
        row.warnings.forEach(function (warning) {
          block.appendChild(el("p", {"class": "cc-note cc-warning", text: "Warned " + warning.learner + ": " + warning.message}));
        });
      }
      recheckButton(row, row.recheck ? "Correct the re-check" : "Re-check").forEach(function (node) { block.appendChild(node); });
      container.appendChild(block);
    });

    if (data.candidates.length) {
      container.appendChild(el("h4", {text: "Largest spreads, not appealed"}));
      data.candidates.forEach(function (row) {
        var block = el("div", {"class": "cc-work cc-candidate", "data-work": String(row.work_id)}, [
          el("p", {text: row.learner + " — grade " + gradeText(row.grade) +
                          (row.spread === null ? "" : ", spread " + fmtPoints(row.spread)) +
                          (row.late_link_change ? " (link changed after the deadline)" : "")}),
          el("p", {"class": "cc-note", text: "Scores: " + scoresText(row)})
        ]);
        recheckButton(row, "Re-check").forEach(function (node) { block.appendChild(node); });
        container.appendChild(block);
      });
    }
  }

  return {renderLearner: renderLearner, renderStaff: renderStaff};
})();
