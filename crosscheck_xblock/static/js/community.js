/* Community re-checks of appealed works by the course's top reviewers (issue 12, B4), for
 * crosscheck.js and appeals.js.
 *
 * The learner: the re-checks course staff asked of them, each work by its pseudonym ("Appealed
 * work 1") and link only, the items its author disputes, and the checklist form (form.js, as
 * the staff re-check uses it) to re-check the whole work, again to correct while the appeal
 * waits; then what they sent. Staff, beside each appeal in the Appeals tab: who was asked, what
 * they sent (points per item side by side), and while the appeal waits a list of the course's
 * top reviewers to ask. Everything learners wrote is set with textContent.
 */
var CrossCheckCommunity = (function () {
  "use strict";  // i18n: code

  var el = CrossCheckCommon.el, t = CrossCheckCommon.t, nt = CrossCheckCommon.nt, nodes = CrossCheckCommon.nodes;
  var fmtDate = CrossCheckCommon.fmtDate, fmtPoints = CrossCheckCommon.fmtPoints;

  function link(url) {
    return el("a", {href: url, target: "_blank", rel: "noopener noreferrer", text: url});  // i18n: code
  }

  /** {item id: its plain text} of the scored items (the checklist's sanitized html). */
  function itemTitles(items) {
    var titles = {};
    items.forEach(function (item) {
      if (item.type === "subtask" || item.type === "penalty") { titles[item.id] = CrossCheckCommon.plainText(item.html); }
    });
    return titles;
  }

  /** The requests still waiting for this learner's re-check (for the tab's badge and the tab to open). */
  function waiting(state) {
    return (state.community_rechecks || []).filter(function (request) { return request.open && !request.submitted; }).length;
  }

  function requestStatus(request) {
    if (!request.open) { return t("Closed"); }
    return request.submitted ? t("Sent") : t("Waiting for your re-check");
  }

  // ------------------------------------------------------------------ the learner

  /** The learner's requests into `section` (hidden when there are none). ctx: {state, call,
   * onState(fresh), showError, announce, readOnly}. */
  function renderLearner(section, ctx) {
    var state = ctx.state;
    var asked = state.community_rechecks || [];
    section.textContent = "";
    section.hidden = !asked.length;
    if (!asked.length) { return; }
    var titles = itemTitles(state.checklist.items);
    var max = state.settings.max_score;
    section.appendChild(el("h3", {text: t("Re-checks asked of you")}));
    section.appendChild(el("p", {"class": "cc-note", text: t("Course staff ask you, as one of the course's top reviewers, to re-check works whose authors appealed their grade. Check the whole work with the checklist, as in a review. Course staff see your re-check beside the appeal and decide the grade themselves; the author sees neither your re-check nor who you are.")}));
    asked.forEach(function (request) {
      var sent = request.submitted;
      var block = el("div", {"class": "cc-work cc-community-request", "data-recheck": request.id}, [
        el("h4", {tabindex: "-1"}, [request.title + " ", el("span", {"class": "cc-badge", text: requestStatus(request)})]),
        el("p", {}, nodes(t("Link: %(link)s"), {link: link(request.url)})),
        el("p", {"class": "cc-note", text: t("The author disputes: %(items)s", {items: request.disputed_items.map(function (id) {
          return titles[id] || id;
        }).join("; ")})})
      ]);
      if (sent) {
        block.appendChild(el("p", {"class": "cc-ok cc-community-sent", tabindex: "-1", text: t("You sent your re-check on %(date)s: %(points)s of %(max)s. Course staff see it beside the appeal.", {date: fmtDate(sent.submitted_at), points: fmtPoints(sent.total), max: fmtPoints(max)})}));
        if (sent.comment) { block.appendChild(el("p", {"class": "cc-comment", text: sent.comment})); }
        block.appendChild(CrossCheckForms.pointsTable(state.checklist.items, [{title: t("Your re-check"), assessment: sent}],
                                                      t("Points per item in your re-check")));
      }
      if (request.open && !ctx.readOnly) {
        var form = CrossCheckForms.form({
          items: state.checklist.items, maxScore: max, className: "cc-community-form", bestWork: false,
          label: request.title, initial: sent || {},
          submitLabel: sent ? t("Update my re-check") : t("Send my re-check"),
          onSubmit: function (data) {
            ctx.showError("");
            return ctx.call("submit_community_recheck", {id: request.id, items: data.items,
                                                         item_comments: data.item_comments, comment: data.comment})
              .then(function (fresh) {
                ctx.announce(t("Your re-check of %(work)s is sent to course staff.", {work: request.title}));
                ctx.onState(fresh);
                var done = document.querySelector('.cc-community-request[data-recheck="' + request.id + '"] .cc-community-sent');
                if (done) { done.focus(); }
              }).catch(function (err) { ctx.showError(err.message); throw err; });
          }});
        block.appendChild(sent ? el("details", {"class": "cc-community-edit"}, [
          el("summary", {text: t("Correct my re-check")}), form]) : form);
      } else if (!request.open) {
        block.appendChild(el("p", {"class": "cc-note cc-community-closed",
                                   text: t("Course staff have settled this appeal: the re-check is closed.")}));
      }
      section.appendChild(block);
    });
  }

  // ------------------------------------------------------------------ staff, beside an appeal

  /** The community re-checks of one appeal (`row` of staff_appeals) and, while it waits, the
   * form to ask top reviewers. ctx: {call, showError, items, maxScore, topReviewers() → Promise
   * of staff_top_reviewers' list, onAppeals(appeals, message)}. */
  function staffPart(row, ctx) {
    var asked = row.community || [];
    var pending = row.status === "pending";
    if (!asked.length && !pending) { return null; }
    var wrap = el("div", {"class": "cc-community-staff"}, [el("h5", {text: t("Community re-checks")})]);
    if (!asked.length) {
      wrap.appendChild(el("p", {"class": "cc-note", text: t("You can ask some of the course's top reviewers to re-check this work. Their re-checks are shown here; you still decide with your own re-check.")}));
    } else {
      wrap.appendChild(el("ul", {"class": "cc-community-list"}, asked.map(function (recheck) {
        var values = {reviewer: recheck.reviewer, date: fmtDate(recheck.requested_at), staff: recheck.requested_by,
                      sent: fmtDate(recheck.submitted_at), total: fmtPoints(recheck.total), max: fmtPoints(ctx.maxScore)};
        return el("li", {"class": recheck.submitted_at ? "cc-community-done" : "cc-community-waiting"}, [
          recheck.submitted_at
            ? t("%(reviewer)s (asked %(date)s by %(staff)s): %(total)s of %(max)s, sent %(sent)s", values)
            : t("%(reviewer)s (asked %(date)s by %(staff)s): not sent yet", values),
          recheck.comment ? el("p", {"class": "cc-comment", text: recheck.comment}) : null]);
      })));
      var done = asked.filter(function (recheck) { return recheck.submitted_at; });
      if (done.length) {
        wrap.appendChild(CrossCheckForms.pointsTable(ctx.items, done.map(function (recheck) {
          return {title: recheck.reviewer, assessment: recheck};
        }), t("Community re-checks of %(learner)s's work per item", {learner: row.learner})));
      }
    }
    if (pending) { askForm(wrap, row, asked, ctx); }
    return wrap;
  }

  function askForm(wrap, row, asked, ctx) {
    var holder = el("div", {"class": "cc-community-ask"});
    var button = el("button", {type: "button", "class": "cc-community-open", "aria-expanded": "false",
                               text: t("Ask top reviewers to re-check"), onclick: function () {
      if (holder.firstChild) { holder.textContent = ""; button.setAttribute("aria-expanded", "false"); return; }
      button.setAttribute("aria-expanded", "true");
      holder.appendChild(el("p", {"class": "cc-note", "aria-busy": "true", text: t("Loading…")}));
      ctx.topReviewers().then(function (reviewers) {
        holder.textContent = "";
        var already = {};
        asked.forEach(function (recheck) { already[recheck.reviewer] = true; });
        var shown = reviewers.filter(function (reviewer) {
          return reviewer.learner !== row.learner && !already[reviewer.learner];
        });
        if (!shown.length) {
          holder.appendChild(el("p", {"class": "cc-note", text: t("No other learner of the course has a reviewer rating yet.")}));
          return;
        }
        var boxes = shown.map(function (reviewer) {
          return el("label", {"class": "cc-community-pick"}, [
            el("input", {type: "checkbox", value: reviewer.student_id, name: "cc-community-reviewer"}), " ",
            t("%(learner)s (rating %(rating)s)", {learner: reviewer.learner, rating: fmtPoints(reviewer.rating)})]);
        });
        var send = el("button", {type: "button", "class": "cc-community-send", text: t("Ask the selected reviewers"),
                                 onclick: function () {
          var chosen = boxes.map(function (label) { return label.querySelector("input"); })
            .filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
          ctx.showError("");
          send.disabled = true;
          ctx.call("staff_request_community_recheck", {work_id: row.work_id, reviewers: chosen}).then(function (answer) {
            var result = answer.result;
            var message = result.already
              ? nt("%(n)s reviewer asked to re-check; %(already)s already were.",
                   "%(n)s reviewers asked to re-check; %(already)s already were.", result.requested, {already: result.already})
              : nt("%(n)s reviewer asked to re-check.", "%(n)s reviewers asked to re-check.", result.requested);
            ctx.onAppeals(answer.appeals, message);
          }).catch(function (err) { send.disabled = false; ctx.showError(err.message); });
        }});
        holder.appendChild(el("fieldset", {"class": "cc-community-reviewers"}, [
          el("legend", {text: t("The course's top reviewers, by their reviewer rating (the author is not listed)")})]
          .concat(boxes)));
        holder.appendChild(el("div", {"class": "cc-form-actions"}, [send]));
      }).catch(function (err) { holder.textContent = ""; ctx.showError(err.message); });
    }});
    wrap.appendChild(button);
    wrap.appendChild(holder);
  }

  return {renderLearner: renderLearner, staffPart: staffPart, waiting: waiting};
}());
