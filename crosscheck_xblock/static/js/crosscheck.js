/* The cross-check learner and staff view. Plain JS, no build step.
 *
 * Everything is rendered from the JSON state the server sends (get_state); every text that
 * comes from the server is put into the page with textContent, never as HTML, so nothing a
 * learner wrote can run as markup.
 */
function CrossCheckBlock(runtime, element) {
  "use strict";
  var root = element.querySelector ? element : element[0];
  var box = root.querySelector(".crosscheck");
  var init = JSON.parse(box.querySelector("script.cc-init").textContent);
  CrossCheckCommon.setLanguage(init.language);
  var state = init.state || null;
  // Staff viewing the course as this learner: the page is theirs, but nothing is sent in their
  // name (the server refuses with 403 masquerade), so no form is offered.
  var readOnly = !!init.read_only;

  function $(sel) { return box.querySelector(sel); }

  var el = CrossCheckCommon.el, fmtDate = CrossCheckCommon.fmtDate, fmtPoints = CrossCheckCommon.fmtPoints;
  var call = CrossCheckCommon.handlerCaller(runtime, root);

  function showError(message) {
    var node = $(".cc-error");
    node.textContent = message || "";
    node.hidden = !message;
    if (message && node.scrollIntoView) { node.scrollIntoView({block: "nearest"}); }
  }

  // ------------------------------------------------------------------ submission

  function renderSubmission() {
    var section = $(".cc-submission");
    section.textContent = "";
    var settings = state.settings;
    var sub = state.submission;
    var rule = state.submission_rule;
    section.appendChild(el("h3", {text: "Your work"}));
    if (sub) {
      section.appendChild(el("p", {"class": "cc-submitted"}, [
        "Submitted: ", el("a", {href: sub.url, target: "_blank", rel: "noopener noreferrer", text: sub.url}),
        el("span", {"class": "cc-note", text: " (" + fmtDate(sub.updated_at) + ")"})
      ]));
      if (sub.link_changes.length) {
        section.appendChild(el("ul", {"class": "cc-link-changes"}, sub.link_changes.map(function (change) {
          return el("li", {"class": change.after_deadline ? "cc-late" : ""}, [
            "Replaced " + fmtDate(change.changed_at) + " (was ",
            el("a", {href: change.old_url, target: "_blank", rel: "noopener noreferrer", text: change.old_url}),
            ")" + (change.after_deadline ? " — after the deadline: no appeal for this task" : "")]);
        })));
      }
    }
    if (rule === "closed" || readOnly) {
      if (!sub && state.phase !== "not_open") { section.appendChild(el("p", {text: "You did not submit a work for this task."})); }
      if (state.phase === "not_open" && settings.submission_start) {
        section.appendChild(el("p", {"class": "cc-note", text: "Submission opens " + fmtDate(settings.submission_start) + "."}));
      }
      return;
    }
    if (!init.signed_in) {
      section.appendChild(el("p", {text: "Sign in to submit your work."}));
      return;
    }
    var late = rule === "late_replace";
    var input = el("input", {type: "url", name: "url", required: true, value: sub ? sub.url : "",
                             placeholder: "https://", "aria-label": "Link to your work"});
    var form = el("form", {"class": "cc-submit-form", onsubmit: function (event) {
      event.preventDefault();
      showError("");
      call("submit_work", {url: input.value, confirm_late: late}).then(function (data) {
        state = data;
        render();
        if (!late) {
          $(".cc-submission").appendChild(el("p", {"class": "cc-ok",
            text: "Your work is saved. It goes to review when the cross-check starts" +
                  (state.settings.review_start ? " (" + fmtDate(state.settings.review_start) + ")" : "") +
                  ". You can replace the link until the submission deadline."}));
        }
      }).catch(function (err) { showError(err.message); });
    }}, [
      late ? el("p", {"class": "cc-warning", text: settings.late_change_warning}) : null,
      el("label", {}, [el("span", {text: "Submit " + settings.submission_help + "."}), el("br"), input]),
      el("br"),
      el("button", {type: "submit", text: late ? "Replace link anyway" : (sub ? "Replace link" : "Submit")})
    ]);
    section.appendChild(form);
    if (settings.submission_due) {
      section.appendChild(el("p", {"class": "cc-note", text: "Submission deadline: " + fmtDate(settings.submission_due)}));
    }
  }

  // ------------------------------------------------------------------ forms: self-check and reviews

  var Forms = window.CrossCheckForms;

  function itemsOf(version) {
    var older = state.checklist_versions[String(version)];
    return older ? older.items : state.checklist.items;
  }

  function draftSaver(formKey) {
    return function (data) { return call("save_draft", {form: formKey, data: data}); };
  }

  function submitter(handler, extra) {
    return function (data) {
      showError("");
      return call(handler, Object.assign({}, data, extra || {})).then(function (fresh) {
        state = fresh;
        render();
      }).catch(function (err) { showError(err.message); throw err; });
    };
  }

  function historyBlock(history, title) {
    if (history.length < 2) { return null; }
    return el("details", {"class": "cc-history"}, [el("summary", {text: title + " (" + history.length + " versions)"})]
      .concat(history.map(function (version, index) {
        return el("div", {"class": "cc-version"}, [
          el("p", {"class": "cc-note", text: "Version " + (index + 1) + ", " + fmtDate(version.submitted_at) +
                                            ": " + fmtPoints(version.total) + " points"}),
          version.comment ? el("p", {"class": "cc-comment", text: version.comment}) : null,
          Forms.pointsTable(itemsOf(version.checklist_version), [{title: "Points", assessment: version}],
                            "Points per item in version " + (index + 1))]);
      })));
  }

  function renderSelfCheck() {
    var section = $(".cc-self-check");
    section.textContent = "";
    var check = state.self_check;
    if (!check || (!check.open && !check.history.length)) { return; }
    var latest = check.history.length ? check.history[check.history.length - 1] : null;
    section.appendChild(el("h3", {text: "Self-check"}));
    if (check.open && !readOnly) {
      section.appendChild(el("p", {"class": "cc-note", text: "Check your own work with the same checklist your " +
        "reviewers will use. Your reviewers see it after they submit their review; you see it beside their points."}));
      section.appendChild(Forms.form({
        items: state.checklist.items, maxScore: state.settings.max_score, className: "cc-self-form",
        initial: check.draft || latest || {}, bestWork: false,
        submitLabel: latest ? "Update self-check" : "Submit self-check",
        onDraft: draftSaver("self"), onSubmit: submitter("submit_self_check")}));
    } else if (latest) {
      section.appendChild(el("p", {text: "Your self-check: " + fmtPoints(latest.total) + " of " + state.settings.max_score}));
    }
    if (latest) { section.appendChild(el("p", {"class": "cc-note cc-self-status", text: "Self-check saved " + fmtDate(latest.submitted_at) + "."})); }
  }

  function renderReviews() {
    var section = $(".cc-reviews");
    section.textContent = "";
    if (!state.reviews.length) { return; }
    var progress = state.progress;
    section.appendChild(el("h3", {text: "Works to review (" + progress.reviews_done + " of " + progress.reviews_assigned + " done)"}));
    if (state.settings.review_due) {
      section.appendChild(el("p", {"class": "cc-note", text: "Cross-check end: " + fmtDate(state.settings.review_due)}));
    }
    if (state.checklist.information) {
      section.appendChild(el("p", {"class": "cc-note", text: state.checklist.information}));
    }
    state.reviews.forEach(function (review) {
      var done = review.status === "submitted";
      var block = el("div", {"class": "cc-work" + (done ? " cc-done" : ""), "data-review": review.id}, [
        el("h4", {}, [review.title + " ",
                      el("span", {"class": "cc-badge", text: done ? "reviewed: " + fmtPoints(review.total) : "to review"})]),
        el("p", {}, ["Link: ", el("a", {href: review.url, target: "_blank", rel: "noopener noreferrer", text: review.url})])
      ]);
      var pointsOnly = state.phase === "adjustment" && done;  // T6: only points may change
      if ((state.phase === "review" || pointsOnly) && !readOnly) {
        block.appendChild(Forms.form({
          items: state.checklist.items, maxScore: state.settings.max_score, className: "cc-review-form",
          initial: pointsOnly ? review.latest : (review.draft || review.latest || {}), bestWork: true,
          pointsOnly: pointsOnly,
          submitLabel: done ? "Update review" : "Submit review",
          onDraft: draftSaver(review.id), onSubmit: submitter("submit_review", {review_id: review.id})}));
      }
      var columns = [];
      if (review.latest) { columns.push({title: "Your review", assessment: review.latest}); }
      if (review.author_self_check) { columns.push({title: "Author's self-check", assessment: review.author_self_check}); }
      review.other_reviews.forEach(function (other) { columns.push({title: other.title, assessment: other}); });
      if (columns.length > 1) {
        block.appendChild(Forms.pointsTable(state.checklist.items, columns, "Points per item"));
      }
      var history = historyBlock(review.history, "History of your review");
      if (history) { block.appendChild(history); }
      section.appendChild(block);
    });
  }

  // ------------------------------------------------------------------ received reviews and grade

  function renderReceived() {
    var section = $(".cc-received");
    section.textContent = "";
    var check = state.self_check;
    var mine = check && check.history.length ? check.history[check.history.length - 1] : null;
    if (!state.received.length) { return; }
    section.appendChild(el("h3", {text: "Reviews of your work"}));
    var columns = mine ? [{title: "Your self-check", assessment: mine}] : [];
    state.received.forEach(function (review) { columns.push({title: review.title, assessment: review}); });
    section.appendChild(Forms.pointsTable(state.checklist.items, columns, "Points per item"));
    state.received.forEach(function (review) {
      section.appendChild(el("div", {"class": "cc-work cc-received-review"}, [
        el("h4", {text: review.title + ": " + fmtPoints(review.total) + " of " + state.settings.max_score +
                        (review.best_work ? " — marked your work as a best work" : "")}),
        review.comment ? el("p", {"class": "cc-comment", text: review.comment}) : null,
        historyBlock(review.history, "History of this review")
      ]));
    });
  }

  function renderGrade() {
    var section = $(".cc-grade");
    section.textContent = "";
    var grade = state.grade;
    if (!grade) { return; }
    section.appendChild(el("h3", {text: "Your grade"}));
    section.appendChild(el("p", {"class": "cc-grade-points",
      text: grade.points === null ? "No grade yet" : grade.points + " of " + grade.max}));
    section.appendChild(el("p", {text: grade.message}));
    if (grade.rechecked) {
      // A staff re-check replaced the grade (see the Appeal section): the scores below were the reviewers'.
      section.appendChild(el("p", {"class": "cc-note", text: "How the reviewers' grade was computed:"}));
    }
    if (grade.scores.length) {
      section.appendChild(el("ul", {"class": "cc-grade-scores"}, grade.scores.map(function (score) {
        return el("li", {"class": score.counted && !grade.rechecked ? "cc-counted" : "cc-dropped"},
                  [score.reviewer + ": " + fmtPoints(score.total) +
                   (score.counted ? (score.reason ? " (counted: " + score.reason + ")" : " (counted)")
                                  : " (left out: " + score.reason + ")")]);
      })));
    }
    if (grade.items && grade.items.length) {
      // Graded item by item: what each item counted, then what every reviewer gave it.
      section.appendChild(el("p", {"class": "cc-grade-items-head", text: "Item by item:"}));
      section.appendChild(el("ul", {"class": "cc-grade-items"}, grade.items.map(function (item) {
        var got = item.type === "penalty"
          ? (item.points ? fmtPoints(item.points) + " points (penalty)" : "no penalty")
          : fmtPoints(item.points) + " of " + fmtPoints(item.max);
        var given = item.scores.map(function (score) {
          return score.reviewer + " " + fmtPoints(score.points) +
                 (score.counted ? "" : " (not counted: " + score.reason + ")");
        }).join(", ");
        // item.html is the checklist text sanitized by the server; everything else is text.
        return el("li", {"class": "cc-grade-item"}, [el("span", {html: item.html}), ": " + got + " — " + given]);
      })));
    }
  }

  // ------------------------------------------------------------------ staff

  function renderStaff(overview, message) {
    var section = $(".cc-staff");
    section.hidden = false;
    section.textContent = "";
    section.appendChild(el("h3", {text: "Staff: progress"}));
    section.appendChild(el("p", {"class": "cc-staff-summary",
      text: overview.submissions + " works submitted. " + overview.phase_text +
            (overview.reviewers_per_work ? " Reviewers per work: " + overview.reviewers_per_work + "." : "")}));
    if (overview.distribution_note) { section.appendChild(el("p", {"class": "cc-note cc-distribution-note", text: overview.distribution_note})); }
    if (overview.start_blocked) { section.appendChild(el("p", {"class": "cc-warning cc-start-blocked", text: overview.start_blocked})); }
    var failed = overview.gradebook ? overview.gradebook.failed : [];
    if (failed.length) {
      // Gradebook writes that failed wait for their retry; staff see which and why.
      section.appendChild(el("div", {"class": "cc-warning cc-gradebook-failed", role: "note"}, [
        el("p", {text: failed.length + " grade" + (failed.length === 1 ? "" : "s") + " could not be written to the " +
                       "gradebook yet; they are tried again by themselves:"}),
        el("ul", {}, failed.map(function (row) {
          return el("li", {text: row.learner + ": " + row.error + " (tried " + row.attempts + " time" +
                                 (row.attempts === 1 ? "" : "s") + "; next " + CrossCheckCommon.fmtDate(row.retry_at) + ")"});
        }))]));
    }
    if (message) { section.appendChild(el("p", {"class": "cc-ok", text: message})); }
    function action(label, handler, enabled) {
      return el("button", {type: "button", "class": "cc-" + handler, disabled: !enabled, onclick: function () {
        showError("");
        call(handler).then(function (data) {
          renderStaff(data.overview, data.result.message);
          return call("get_state").then(function (fresh) { state = fresh; render(); });
        }).catch(function (err) { showError(err.message); });
      }, text: label});
    }
    section.appendChild(action("Start cross-check now", "staff_start", overview.can_start));
    section.appendChild(action("Complete now", "staff_complete", overview.can_complete));
    var head = el("tr", {}, ["Learner", "Link", "Submitted", "Reviews done", "Reviews received", "Grade"].map(function (h) { return el("th", {text: h}); }));
    var rows = overview.learners.map(function (row) {
      var grade = row.grade ? (row.grade.points === null ? row.grade.status : row.grade.points + " / " + row.grade.max +
                               (row.grade.status === "graded" ? "" : " (" + row.grade.status + ")")) : "";
      return el("tr", {}, [
        el("td", {text: row.learner}),
        el("td", {}, [el("a", {href: row.url, target: "_blank", rel: "noopener noreferrer", text: row.url})]),
        el("td", {text: fmtDate(row.submitted_at)}),
        el("td", {text: row.reviews_done + " / " + row.reviews_assigned}),
        el("td", {text: String(row.reviews_received)}),
        el("td", {text: grade})
      ]);
    });
    section.appendChild(el("table", {"class": "cc-staff-table"}, [el("thead", {}, [head]), el("tbody", {}, rows)]));
    var exportUrl = runtime.handlerUrl(root, "staff_export");
    var sep = exportUrl.indexOf("?") >= 0 ? "&" : "?";
    var links = [{href: exportUrl + sep + "kind=grades", text: "Download grades (CSV)"},
                 {href: exportUrl + sep + "kind=reviews", text: "Download reviews (CSV)"}];
    var analytics = el("div", {"class": "cc-analytics"});
    section.appendChild(el("button", {type: "button", "class": "cc-staff_analytics", onclick: function () {
      showError("");
      call("staff_analytics").then(function (data) { CrossCheckAnalytics.render(analytics, data); })
        .catch(function (err) { showError(err.message); });
    }, text: "Show analytics"}));
    section.appendChild(el("p", {"class": "cc-staff-exports"}, links.map(function (link, i) {
      return el("span", {}, [i ? " · " : null, el("a", {href: link.href, download: "", text: link.text})]);
    })));
    section.appendChild(analytics);
    var appeals = el("div", {"class": "cc-appeals"});
    section.appendChild(el("button", {type: "button", "class": "cc-staff_appeals", onclick: function () {
      showError("");
      call("staff_appeals").then(function (data) {
        CrossCheckAppeals.renderStaff(appeals, data, {call: call, showError: showError, items: state.checklist.items,
                                                      maxScore: state.settings.max_score});
      }).catch(function (err) { showError(err.message); });
    }, text: "Show appeals and re-checks"}));
    section.appendChild(appeals);
  }

  // What the current phase is waiting for, and when (times are shown in the browser's zone).
  var NEXT_DATE = {
    submission: ["submission_due", "Submission closes"],
    waiting: ["review_start", "The cross-check starts"],
    review: ["review_due", "The cross-check ends"],
    adjustment: ["adjustment_due", "The adjustment period ends"]
  };

  function countdownText(now) {
    var next = state && NEXT_DATE[state.phase];
    var iso = next && state.settings[next[0]];
    if (!iso) { return ""; }
    var left = new Date(iso) - now;
    if (isNaN(left)) { return ""; }
    if (left <= 0) { return next[1] + " now (" + fmtDate(iso) + ")."; }
    var minutes = Math.floor(left / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var parts = days ? [days + " d", hours + " h"] : (hours ? [hours + " h", (minutes % 60) + " min"] : [(minutes % 60) + " min"]);
    return next[1] + " in " + parts.join(" ") + " (" + fmtDate(iso) + ").";
  }

  function renderCountdown() {
    var node = $(".cc-countdown");
    node.textContent = countdownText(new Date());
    node.hidden = !node.textContent;
  }

  function render() {
    if (!state) { return; }
    $(".cc-title").textContent = state.settings.display_name;
    $(".cc-phase").textContent = state.phase_text;
    renderCountdown();
    renderSubmission();
    renderSelfCheck();
    renderReviews();
    renderReceived();
    renderGrade();
    CrossCheckAppeals.renderLearner($(".cc-appeal"), {
      state: state, call: call, showError: showError, readOnly: readOnly,
      onState: function (fresh) { state = fresh; render(); }});
  }

  if (init.error) { showError(init.error); }
  if (readOnly) {
    var notice = $(".cc-read-only");
    notice.textContent = init.read_only;
    notice.hidden = false;
  }
  render();
  setInterval(renderCountdown, 30000);
  if (init.is_staff) {
    call("staff_overview").then(function (overview) { renderStaff(overview); })
      .catch(function (err) { showError(err.message); });
  }
}
