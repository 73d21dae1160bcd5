/* Appeals (A4, F4) on the learner page and in the staff panel, for crosscheck.js.
 *
 * The learner sees their warnings, may appeal their grade naming the disputed checklist items,
 * and later sees the staff re-check. Staff see the appeals (largest spread first), the works
 * with the largest spreads nobody appealed, and re-check a work with the checklist form; beside
 * each appeal the community re-checks of top reviewers, and asking for them (community.js).
 * Everything a learner wrote (reasons, comments) is set with textContent.
 */
var CrossCheckAppeals = (function () {
  "use strict";  // i18n: code

  var el = CrossCheckCommon.el, fmtDate = CrossCheckCommon.fmtDate, fmtPoints = CrossCheckCommon.fmtPoints;
  var t = CrossCheckCommon.t, nodes = CrossCheckCommon.nodes;

  function scored(items) {
    return items.filter(function (item) { return item.type === "subtask" || item.type === "penalty"; });
  }

  function warningsList(warnings) {
    if (!warnings || !warnings.length) { return null; }
    return el("div", {"class": "cc-warnings", role: "note"}, [
      el("h4", {text: t("Warnings")}),
      el("ul", {}, warnings.map(function (warning) {
        return el("li", {"class": "cc-warning cc-warning-" + warning.kind}, [
          warning.message, " ", el("span", {"class": "cc-note", text: t("(%(date)s)", {date: fmtDate(warning.created_at)})})]);
      }))]);
  }

  function recheckBlock(recheck, items, maxScore) {
    var values = {date: fmtDate(recheck.resolved_at), total: fmtPoints(recheck.total), max: fmtPoints(maxScore),
                  before: fmtPoints(recheck.previous_points), after: fmtPoints(recheck.points)};
    return el("div", {"class": "cc-recheck"}, [
      el("p", {"class": "cc-recheck-result", text: recheck.previous_points === null
        ? t("Course staff re-checked your work on %(date)s: %(total)s of %(max)s.", values)
        : t("Course staff re-checked your work on %(date)s: %(total)s of %(max)s. Your grade was %(before)s and is now %(after)s of %(max)s.", values)}),
      recheck.comment ? el("p", {"class": "cc-comment", text: recheck.comment}) : null,
      CrossCheckForms.pointsTable(items, [{title: t("Staff re-check"), assessment: recheck}], t("Points per item in the re-check"))
    ]);
  }

  /* The learner's form: checkboxes for the disputed items and the reason. */
  function appealForm(appeal, items, submit) {
    var boxes = scored(items).map(function (item) {
      return el("label", {"class": "cc-appeal-item"}, [
        el("input", {type: "checkbox", value: item.id, name: "cc-appeal-item"}), " ", el("span", {html: item.html})]);
    });
    var reasonId = CrossCheckCommon.uniqueId("cc-appeal-reason");
    var reason = el("textarea", {"class": "cc-appeal-reason", rows: "4", maxlength: "5000", id: reasonId});
    var button = el("button", {type: "submit", "class": "cc-appeal-submit", text: t("Send appeal")});
    return el("form", {"class": "cc-appeal-form", novalidate: true, onsubmit: function (event) {
      event.preventDefault();
      var chosen = boxes.map(function (label) { return label.querySelector("input"); })
        .filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      button.disabled = true;
      submit({reason: reason.value, items: chosen}).catch(function () { return null; })
        .then(function () { button.disabled = false; });
    }}, [
      el("p", {"class": "cc-note", text: t("If you think your grade is wrong, ask course staff to re-check your work until %(date)s. Tick the checklist items whose points you dispute and say why. Staff re-check the whole work with the same checklist; their result replaces your grade, up or down, and reviewers whose scores were far from it are warned. So is an author whose self-check was far from it.", {date: fmtDate(appeal.deadline)})}),
      el("fieldset", {"class": "cc-appeal-items"}, [el("legend", {text: t("Disputed items")})].concat(boxes)),
      el("label", {"class": "cc-block-label", "for": reasonId, text: t("Why the grade is wrong")}), reason,
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
    section.appendChild(el("h3", {text: appeal ? t("Appeal") : t("Warnings")}));
    if (warnings) { section.appendChild(warnings); }
    if (!appeal) { return; }
    var sent = appeal.submitted;
    if (sent && sent.origin === "learner") {
      var titles = {};
      scored(state.checklist.items).forEach(function (item) {
        titles[item.id] = CrossCheckCommon.plainText(item.html);  // only the sanitized item's text
      });
      section.appendChild(el("p", {"class": "cc-appeal-status", text: sent.status === "pending"
        ? t("You appealed on %(date)s. Course staff will re-check your work.", {date: fmtDate(sent.created_at)})
        : t("You appealed on %(date)s.", {date: fmtDate(sent.created_at)})}));
      section.appendChild(el("p", {"class": "cc-note", text: t("Disputed items: %(items)s",
        {items: sent.items.map(function (id) { return titles[id] || id; }).join("; ")})}));
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
      return t("Reviewer %(number)s (%(learner)s): %(points)s",
               {number: review.reviewer, learner: review.reviewer_learner, points: fmtPoints(review.total)});
    });
    if (row.self_check !== null && row.self_check !== undefined) {
      parts.push(t("self-check: %(points)s", {points: fmtPoints(row.self_check)}));
    }
    return parts.join("; ") || t("no reviews");
  }

  function gradeText(grade) {
    if (!grade) { return "–"; }
    return grade.points === null ? CrossCheckCommon.gradeStatus(grade.status)
      : t("%(points)s / %(max)s", {points: fmtPoints(grade.points), max: fmtPoints(grade.max)});
  }

  function rowHead(row) {
    var status = row.status === "pending" ? t("waiting")
      : (row.origin === "staff" ? t("re-checked (staff's own re-check)") : t("re-checked"));
    var values = {learner: row.learner, status: status, grade: gradeText(row.grade), spread: fmtPoints(row.spread)};
    return row.spread === null ? t("%(learner)s — %(status)s, grade %(grade)s", values)
                               : t("%(learner)s — %(status)s, grade %(grade)s, spread %(spread)s", values);
  }

  function candidateHead(row) {
    var values = {learner: row.learner, grade: gradeText(row.grade), spread: fmtPoints(row.spread)};
    var text = row.spread === null ? t("%(learner)s — grade %(grade)s", values)
                                   : t("%(learner)s — grade %(grade)s, spread %(spread)s", values);
    return row.late_link_change ? t("%(text)s (link changed after the deadline)", {text: text}) : text;
  }

  /** A text box that hides the blocks (appeals, candidates) of other learners. */
  function learnerFilter(container) {
    var id = CrossCheckCommon.uniqueId("cc-appeals-filter");
    var count = el("span", {"class": "cc-row-count", role: "status"});
    var input = el("input", {type: "search", id: id, "class": "cc-filter-input", autocomplete: "off", oninput: function () {
      var needle = input.value.trim().toLocaleLowerCase(CrossCheckCommon.language()), shown = 0;
      var blocks = container.querySelectorAll("[data-learner]");
      Array.prototype.forEach.call(blocks, function (block) {
        var hit = !needle || block.getAttribute("data-learner").toLocaleLowerCase(CrossCheckCommon.language()).indexOf(needle) >= 0;
        block.hidden = !hit;
        if (hit) { shown += 1; }
      });
      count.textContent = CrossCheckCommon.nt("%(shown)s of %(n)s work shown", "%(shown)s of %(n)s works shown",
                                              blocks.length, {shown: shown});
    }});
    return el("div", {"class": "cc-filter"}, [el("label", {"for": id, text: t("Filter by learner")}), " ", input, " ", count]);
  }

  // ------------------------------------------------------------------ staff: complaints about reviews

  function complaintStatus(row) {
    return {pending: t("waiting"), upheld: t("upheld"), rejected: t("rejected")}[row.status] || row.status;
  }

  /* The authors' complaints about a review's deductions, waiting ones first, each with its
   * conversation and Uphold / Reject with a comment (staff_settle_complaint). */
  function complaintsBlock(container, data, ctx) {
    var rows = data.complaints || [];  // the server's order: waiting first, largest spread first
    if (!rows.length) { return null; }
    var wrap = el("div", {"class": "cc-complaints"}, [
      el("h3", {text: t("Complaints about reviews (%(n)s waiting)", {n: data.complaints_pending || 0})}),
      el("p", {"class": "cc-note", text: t("An author says that points were taken without reason for the items named. Upheld, the reviewer is warned for an unfair review; rejected as unfounded, the author is warned. Neither changes the grade (a re-check does, and settles the work's waiting complaints with it). Your comment is shown to both learners in their conversation.")})]);
    rows.forEach(function (row) {
      var values = {work: row.work_title, author: row.author, reviewer: row.reviewer_title, username: row.reviewer,
                    status: complaintStatus(row), date: fmtDate(row.created_at)};
      var block = el("div", {"class": "cc-work cc-complaint cc-complaint-" + row.status, "data-complaint": String(row.id),
                             "data-learner": row.author + " " + row.reviewer}, [
        el("h4", {text: t("%(work)s (%(author)s), %(reviewer)s (%(username)s) — %(status)s", values)}),
        el("p", {"class": "cc-note", text: t("Sent %(date)s about review version %(version)s (total: %(points)s).",
                                              {date: fmtDate(row.created_at), version: row.version, points: fmtPoints(row.review_total)})}),
        el("p", {"class": "cc-note", text: t("Items: %(items)s", {items: row.items.map(function (item) { return item.title; }).join("; ")})}),
        row.note ? el("p", {"class": "cc-comment", text: row.note}) : null
      ]);
      if (row.status !== "pending") {
        block.appendChild(el("p", {"class": "cc-note cc-complaint-settled", text: row.by_appeal
          ? t("Settled by %(staff)s on %(date)s with the re-check of the appeal.", {staff: row.settled_by, date: fmtDate(row.settled_at)})
          : t("Settled by %(staff)s on %(date)s.", {staff: row.settled_by, date: fmtDate(row.settled_at)})}));
        if (row.outcome) { block.appendChild(el("p", {"class": "cc-note", text: row.outcome})); }
        if (row.comment) { block.appendChild(el("p", {"class": "cc-comment", text: row.comment})); }
      }
      if (ctx.openThread) {
        block.appendChild(el("button", {type: "button", "class": "cc-link cc-complaint-thread", text: t("Open the conversation"),
                                        onclick: function () { ctx.openThread(row.thread); }}));
      }
      var commentId = CrossCheckCommon.uniqueId("cc-complaint-comment");
      var comment = el("textarea", {"class": "cc-complaint-comment", id: commentId, rows: "2", maxlength: "2000"});
      function settle(verdict, button) {
        ctx.showError("");
        button.disabled = true;
        ctx.call("staff_settle_complaint", {complaint: row.id, verdict: verdict, comment: comment.value}).then(function (answer) {
          renderStaff(container, answer.appeals, ctx, answer.result.message);
          if (ctx.announce) { ctx.announce(answer.result.message); }
          if (ctx.onBadge) { ctx.onBadge(answer.appeals); }
          var ok = container.querySelector(".cc-ok");
          if (ok) { ok.setAttribute("tabindex", "-1"); ok.focus(); }
        }).catch(function (err) { button.disabled = false; ctx.showError(err.message); });
      }
      var uphold = el("button", {type: "button", "class": "cc-complaint-uphold", text: t("Uphold"),
                                 "aria-label": t("Uphold the complaint of %(author)s", {author: row.author}),
                                 onclick: function () { settle("upheld", uphold); }});
      var reject = el("button", {type: "button", "class": "cc-complaint-reject", text: t("Reject"),
                                 "aria-label": t("Reject the complaint of %(author)s", {author: row.author}),
                                 onclick: function () { settle("rejected", reject); }});
      var form = [el("label", {"class": "cc-block-label", "for": commentId, text: t("Comment for both learners")}), comment,
                  el("div", {"class": "cc-form-actions"}, [uphold, reject])];
      if (row.status === "pending") {
        form.forEach(function (node) { block.appendChild(node); });
      } else {
        block.appendChild(el("details", {"class": "cc-complaint-change"}, [el("summary", {text: t("Change the verdict")})].concat(form)));
      }
      wrap.appendChild(block);
    });
    return wrap;
  }

  /* ctx: {call, showError, announce, items (the checklist), maxScore, onBadge(data), openThread(token)}. */
  function renderStaff(container, data, ctx, message) {
    container.textContent = "";
    container.appendChild(el("h3", {text: t("Appeals (%(n)s waiting)", {n: data.pending})}));
    if (message) { container.appendChild(el("p", {"class": "cc-ok", text: message})); }
    var values = {threshold: CrossCheckCommon.percent(data.threshold, 1), date: fmtDate(data.deadline)};
    var rule = data.deadline
      ? t("A re-check replaces the grade and writes it to the gradebook; reviewers and self-checks more than %(threshold)s of the maximum from it are warned. Learners may appeal until %(date)s.", values)
      : t("A re-check replaces the grade and writes it to the gradebook; reviewers and self-checks more than %(threshold)s of the maximum from it are warned.", values);
    container.appendChild(el("p", {"class": "cc-note", text: rule}));
    if (!data.can_recheck) {
      container.appendChild(el("p", {"class": "cc-note", text: t("Re-checks open once the grades are published.")}));
    }
    if (data.appeals.length + data.candidates.length > 1) { container.appendChild(learnerFilter(container)); }

    function recheckButton(row, label) {
      var holder = el("div", {"class": "cc-recheck-holder"});
      var button = el("button", {type: "button", "class": "cc-recheck-open", disabled: !data.can_recheck,
                                 "aria-expanded": "false", text: label, onclick: function () {
        if (holder.firstChild) { holder.textContent = ""; button.setAttribute("aria-expanded", "false"); return; }
        button.setAttribute("aria-expanded", "true");
        holder.appendChild(CrossCheckForms.form({
          items: ctx.items, maxScore: ctx.maxScore, className: "cc-recheck-form", bestWork: false,
          label: row.learner, initial: row.recheck || {}, submitLabel: t("Save re-check (replaces the grade)"),
          onSubmit: function (form) {
            ctx.showError("");
            return ctx.call("staff_recheck", Object.assign({work_id: row.work_id}, form)).then(function (answer) {
              renderStaff(container, answer.appeals, ctx, answer.result.message);
              if (ctx.announce) { ctx.announce(answer.result.message); }
              var ok = container.querySelector(".cc-ok");
              if (ok) { ok.setAttribute("tabindex", "-1"); ok.focus(); }
            }).catch(function (err) { ctx.showError(err.message); throw err; });
          }}));
      }});
      return [button, holder];
    }

    // B4: the community re-checks beside each appeal, and asking top reviewers for one (community.js).
    var communityCtx = {call: ctx.call, showError: ctx.showError, items: ctx.items, maxScore: ctx.maxScore,
                        topReviewers: function () {
                          // One request per load of the tab: the list is the same for every appeal.
                          if (!ctx.topReviewers) {
                            ctx.topReviewers = ctx.call("staff_top_reviewers").then(function (answer) { return answer.reviewers; });
                            ctx.topReviewers.catch(function () { ctx.topReviewers = null; });
                          }
                          return ctx.topReviewers;
                        },
                        onAppeals: function (appeals, message) {
                          renderStaff(container, appeals, ctx, message);
                          if (ctx.announce) { ctx.announce(message); }
                          if (ctx.onBadge) { ctx.onBadge(appeals); }
                          var ok = container.querySelector(".cc-ok");
                          if (ok) { ok.setAttribute("tabindex", "-1"); ok.focus(); }
                        }};
    if (!data.appeals.length) {
      container.appendChild(el("p", {"class": "cc-note", text: t("No appeals yet.")}));
    }
    data.appeals.forEach(function (row) {
      var block = el("div", {"class": "cc-work cc-appeal cc-appeal-" + row.status, "data-work": String(row.work_id),
                             "data-learner": row.learner}, [
        el("h4", {text: rowHead(row)}),
        el("p", {}, nodes(t("Link: %(link)s"), {link: el("a", {href: row.url, target: "_blank", rel: "noopener noreferrer", text: row.url})})),  // i18n: code
        el("p", {"class": "cc-note", text: t("Scores: %(scores)s", {scores: scoresText(row)})})
      ]);
      if (row.reason) {
        block.appendChild(el("p", {"class": "cc-note", text: t("Disputed items: %(items)s",
          {items: row.items.map(function (item) { return item.title; }).join("; ")})}));
        block.appendChild(el("p", {"class": "cc-comment", text: row.reason}));
      }
      if (row.recheck) {
        var recheck = {staff: row.resolved_by, date: fmtDate(row.recheck.resolved_at), total: fmtPoints(row.recheck.total),
                       before: fmtPoints(row.recheck.previous_points)};
        block.appendChild(el("p", {"class": "cc-note", text: row.recheck.previous_points === null
          ? t("Re-checked by %(staff)s on %(date)s: %(total)s.", recheck)
          : t("Re-checked by %(staff)s on %(date)s: %(total)s (was %(before)s).", recheck)}));
        row.warnings.forEach(function (warning) {
          block.appendChild(el("p", {"class": "cc-note cc-warning",
            text: t("Warned %(learner)s: %(message)s", {learner: warning.learner, message: warning.message})}));
        });
      }
      var community = CrossCheckCommunity.staffPart(row, communityCtx);
      if (community) { block.appendChild(community); }
      recheckButton(row, row.recheck ? t("Correct the re-check") : t("Re-check")).forEach(function (node) { block.appendChild(node); });
      container.appendChild(block);
    });

    var complaints = complaintsBlock(container, data, ctx);
    if (complaints) { container.appendChild(complaints); }

    if (data.candidates.length) {
      container.appendChild(el("h3", {text: t("Largest spreads, not appealed")}));
      data.candidates.forEach(function (row) {
        var block = el("div", {"class": "cc-work cc-candidate", "data-work": String(row.work_id), "data-learner": row.learner}, [
          el("h4", {text: candidateHead(row)}),
          el("p", {"class": "cc-note", text: t("Scores: %(scores)s", {scores: scoresText(row)})})
        ]);
        recheckButton(row, t("Re-check")).forEach(function (node) { block.appendChild(node); });
        container.appendChild(block);
      });
    }
  }

  return {renderLearner: renderLearner, renderStaff: renderStaff};
})();
