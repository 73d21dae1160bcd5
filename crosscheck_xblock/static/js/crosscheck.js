/* The cross-check learner and staff view. Plain JS, no build step.
 *
 * Everything is rendered from the JSON state the server sends (get_state); every text that
 * comes from the server is put into the page with textContent, never as HTML, so nothing a
 * learner wrote can run as markup.
 *
 * The page: the learner's other cross-checks of the course (a collapsible list, overview.js), a
 * header (title, phase, the next date with a countdown, the learner's progress),
 * then tabs (WAI-ARIA tabs pattern) — My work · Reviews to do · Feedback on my work · Grade and
 * appeal, and for course staff also Progress · Analytics · Appeals · Conversations · Settings. It opens on the
 * tab that needs action now. "Reviews to do" shows one work at a time, picked from a list of the
 * works with their status, and below them any re-checks of appealed works course staff asked
 * of the learner (community.js). Each given and received review has its anonymous conversation
 * (threads.js), and staff have a Conversations tab with every thread.
 */
function CrossCheckBlock(runtime, element) {
  "use strict";  // i18n: code
  var root = element.querySelector ? element : element[0];
  var box = root.querySelector(".crosscheck");
  var init = JSON.parse(box.querySelector("script.cc-init").textContent);
  CrossCheckCommon.setLanguage(init.language);
  if (init.language) { box.setAttribute("lang", init.language); }
  var state = init.state || null;
  // Staff viewing the course as this learner: the page is theirs, but nothing is sent in their
  // name (the server refuses with 403 masquerade), so no form is offered.
  var readOnly = !!init.read_only;

  function $(sel) { return box.querySelector(sel); }

  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt, nodes = CrossCheckCommon.nodes;
  var el = CrossCheckCommon.el, fmtDate = CrossCheckCommon.fmtDate, fmtPoints = CrossCheckCommon.fmtPoints;
  var call = CrossCheckCommon.handlerCaller(runtime, root);

  function showError(message) {
    var node = $(".cc-error");
    node.textContent = message || "";
    node.hidden = !message;
    if (message && node.scrollIntoView) { node.scrollIntoView({block: "nearest"}); }
  }

  /** Say `message` to screen readers (a polite live region that is always in the page). */
  function announce(message) {
    var node = $(".cc-announce");
    node.textContent = "";
    setTimeout(function () { node.textContent = message; }, 50);
  }

  function link(url) {
    return el("a", {href: url, target: "_blank", rel: "noopener noreferrer", text: url});  // i18n: code
  }

  // ------------------------------------------------------------------ submission

  function renderSubmission() {
    var section = $(".cc-submission");
    section.textContent = "";
    var settings = state.settings;
    var sub = state.submission;
    var rule = state.submission_rule;
    section.appendChild(el("h3", {text: t("Your work")}));
    if (sub) {
      section.appendChild(el("p", {"class": "cc-submitted"}, nodes(t("Submitted: %(link)s %(date)s"), {
        link: link(sub.url),
        date: el("span", {"class": "cc-note", text: t("(%(date)s)", {date: fmtDate(sub.updated_at)})})})));
      if (sub.link_changes.length) {
        section.appendChild(el("ul", {"class": "cc-link-changes"}, sub.link_changes.map(function (change) {
          var text = change.after_deadline
            ? t("Replaced %(date)s (was %(link)s) — after the deadline: no appeal for this task")
            : t("Replaced %(date)s (was %(link)s)");
          return el("li", {"class": change.after_deadline ? "cc-late" : ""},
                    nodes(text, {date: fmtDate(change.changed_at), link: link(change.old_url)}));
        })));
      }
    }
    if (rule === "closed" || readOnly) {
      if (!sub && state.phase !== "not_open") {
        section.appendChild(el("p", {text: t("You did not submit a work for this task.")}));
      }
      if (state.phase === "not_open" && settings.submission_start) {
        section.appendChild(el("p", {"class": "cc-note",
          text: t("Submission opens %(date)s.", {date: fmtDate(settings.submission_start)})}));
      }
      return;
    }
    if (!init.signed_in) {
      section.appendChild(el("p", {text: t("Sign in to submit your work.")}));
      return;
    }
    var late = rule === "late_replace";
    var inputId = CrossCheckCommon.uniqueId("cc-url");
    var input = el("input", {type: "url", name: "url", id: inputId, required: true, value: sub ? sub.url : "",
                             placeholder: "https://", autocomplete: "url"});
    var form = el("form", {"class": "cc-submit-form", onsubmit: function (event) {
      event.preventDefault();
      showError("");
      call("submit_work", {url: input.value, confirm_late: late}).then(function (data) {
        state = data;
        render();
        var message = late ? t("Your link is replaced.")
          : (state.settings.review_start
            ? t("Your work is saved. It goes to review when the cross-check starts (%(date)s). You can replace the link until the submission deadline.", {date: fmtDate(state.settings.review_start)})
            : t("Your work is saved. It goes to review when the cross-check starts. You can replace the link until the submission deadline."));
        $(".cc-submission").appendChild(el("p", {"class": "cc-ok", text: message}));
        announce(message);
        var submitted = $(".cc-submit-form input[name=url]");
        if (submitted) { submitted.focus(); }
      }).catch(function (err) { showError(err.message); input.focus(); });
    }}, [
      late ? el("p", {"class": "cc-warning", text: settings.late_change_warning}) : null,
      el("label", {"for": inputId}, [
        t("Submit %(what)s.", {what: settings.submission_help})]),
      el("br"), input, el("br"),
      el("button", {type: "submit", text: late ? t("Replace link anyway") : (sub ? t("Replace link") : t("Submit"))})
    ]);
    section.appendChild(form);
    if (settings.submission_due) {
      section.appendChild(el("p", {"class": "cc-note",
        text: t("Submission deadline: %(date)s", {date: fmtDate(settings.submission_due)})}));
    }
  }

  // ------------------------------------------------------------------ forms: self-check and reviews

  var Forms = window.CrossCheckForms;

  function itemsOf(version) {
    var older = state.checklist_versions[String(version)];
    return older ? older.items : state.checklist.items;
  }

  function draftSaver(formKey) {
    return function (data) {
      return call("save_draft", {form: formKey, data: data}).then(function (answer) {
        if (formKey !== "self") { drafted[formKey] = true; renderWorkList(); }
        return answer;
      });
    };
  }

  function submitter(handler, extra, done) {
    return function (data) {
      showError("");
      return call(handler, Object.assign({}, data, extra || {})).then(function (fresh) {
        state = fresh;
        if (done) { done(); }
        render();
        keepFocus();
      }).catch(function (err) { showError(err.message); throw err; });
    };
  }

  function historyBlock(history, title) {
    if (history.length < 2) { return null; }
    return el("details", {"class": "cc-history"}, [
      el("summary", {text: nt("%(title)s (%(n)s version)", "%(title)s (%(n)s versions)", history.length, {title: title})})]
      .concat(history.map(function (version, index) {
        return el("div", {"class": "cc-version"}, [
          el("p", {"class": "cc-note", text: t("Version %(number)s, %(date)s: %(points)s points", {
            number: index + 1, date: fmtDate(version.submitted_at), points: fmtPoints(version.total)})}),
          version.comment ? el("p", {"class": "cc-comment", text: version.comment}) : null,
          Forms.pointsTable(itemsOf(version.checklist_version), [{title: t("Points"), assessment: version}],
                            t("Points per item in version %(number)s", {number: index + 1}))]);
      })));
  }

  function latestSelfCheck() {
    var check = state.self_check;
    return check && check.history.length ? check.history[check.history.length - 1] : null;
  }

  function renderSelfCheck() {
    var section = $(".cc-self-check");
    section.textContent = "";
    var check = state.self_check;
    if (!check || (!check.open && !check.history.length)) { return; }
    var latest = latestSelfCheck();
    section.appendChild(el("h3", {text: t("Self-check")}));
    if (check.open && !readOnly) {
      section.appendChild(el("p", {"class": "cc-note", text: t("Check your own work with the same checklist your reviewers will use. Your reviewers see it after they submit their review; you see it beside their points.")}));
      section.appendChild(Forms.form({
        items: state.checklist.items, maxScore: state.settings.max_score, className: "cc-self-form",
        initial: check.draft || latest || {}, bestWork: false,
        submitLabel: latest ? t("Update self-check") : t("Submit self-check"),
        onDraft: draftSaver("self"),
        onSubmit: submitter("submit_self_check", null, function () { announce(t("Your self-check is saved.")); })}));
    } else if (latest) {
      section.appendChild(el("p", {text: t("Your self-check: %(points)s of %(max)s",
        {points: fmtPoints(latest.total), max: fmtPoints(state.settings.max_score)})}));
    }
    if (latest) {
      section.appendChild(el("p", {"class": "cc-note cc-self-status",
        text: t("Self-check saved %(date)s.", {date: fmtDate(latest.submitted_at)})}));
    }
  }

  // ------------------------------------------------------------------ reviews to do: one work at a time

  var selectedReview = null;   // the review id shown in "Reviews to do"
  var drafted = {};            // review ids whose draft was saved on this page since it was drawn

  function reviewStatus(review) {
    if (review.status === "submitted") { return "submitted"; }  // i18n: code
    return review.draft || drafted[review.id] ? "draft" : "todo";
  }

  function statusText(review) {
    var status = reviewStatus(review);
    if (status === "submitted") {
      return t("Submitted: %(points)s of %(max)s",
               {points: fmtPoints(review.total), max: fmtPoints(state.settings.max_score)});
    }
    return status === "draft" ? t("Draft saved") : t("Not started");
  }

  function firstUnfinished() {
    var open = state.reviews.filter(function (review) { return review.status !== "submitted"; });
    return (open[0] || state.reviews[0] || {}).id || null;
  }

  function renderWorkList() {
    var list = $(".cc-work-list");
    if (!list) { return; }
    list.textContent = "";
    state.reviews.forEach(function (review) {
      var status = reviewStatus(review);
      var current = review.id === selectedReview;
      list.appendChild(el("li", {}, [el("button", {
        type: "button", "class": "cc-work-pick cc-status-" + status, "data-review": review.id,
        "aria-current": current ? "true" : null, onclick: function () { selectReview(review.id, true); }}, [
          el("span", {"class": "cc-work-pick-title", text: review.title}), " ",
          el("span", {"class": "cc-work-pick-status", text: statusText(review)}),
          review.thread && review.thread.unread
            ? el("span", {"class": "cc-work-pick-unread", text: CrossCheckThreads.unreadText(review.thread.unread)})
            : null])]));
    });
  }

  function selectReview(id, focus) {
    selectedReview = id;
    var blocks = box.querySelectorAll(".cc-reviews .cc-work");
    Array.prototype.forEach.call(blocks, function (block) {
      block.hidden = block.getAttribute("data-review") !== id;
      if (!block.hidden && focus) { block.querySelector("h4").focus(); }
    });
    renderWorkList();
  }

  function renderReviews() {
    var section = $(".cc-reviews");
    section.textContent = "";
    var progress = state.progress;
    if (!state.reviews.length) {
      section.appendChild(el("h3", {text: t("Works to review")}));
      section.appendChild(el("p", {"class": "cc-note cc-empty", text: state.settings.review_start &&
        (state.phase === "not_open" || state.phase === "submission" || state.phase === "waiting")
        ? t("The works to review are given out when the cross-check starts (%(date)s).", {date: fmtDate(state.settings.review_start)})
        : t("You have no works to review.")}));
      return;
    }
    section.appendChild(el("h3", {text: t("Works to review (%(done)s of %(n)s done)",
                                          {done: progress.reviews_done, n: progress.reviews_assigned})}));
    if (state.settings.review_due) {
      section.appendChild(el("p", {"class": "cc-note",
        text: t("Cross-check end: %(date)s", {date: fmtDate(state.settings.review_due)})}));
    }
    var dueNote = CrossCheckExtras.assignedNote(state);
    if (dueNote) { section.appendChild(dueNote); }
    if (state.checklist.information) {
      section.appendChild(el("p", {"class": "cc-note", text: state.checklist.information}));
    }
    section.appendChild(el("ul", {"class": "cc-work-list", "aria-label": t("Works to review and their status")}));
    var extraPanel = CrossCheckExtras.learnerPanel(state, {
      call: call, readOnly: readOnly, showError: showError, announce: announce,
      onState: function (fresh, reviewId) {
        state = fresh;
        if (reviewId) { selectedReview = reviewId; focusAfterRender = true; }
        render();
      }});
    if (extraPanel) { section.appendChild(extraPanel); }
    var ids = state.reviews.map(function (review) { return review.id; });
    if (ids.indexOf(selectedReview) < 0) { selectedReview = firstUnfinished(); }
    state.reviews.forEach(function (review) {
      var done = review.status === "submitted";
      var block = el("div", {"class": "cc-work" + (done ? " cc-done" : ""), "data-review": review.id}, [
        el("h4", {tabindex: "-1"}, [review.title + " ", el("span", {"class": "cc-badge", text: statusText(review)}),
                                    review.extra ? " " : null, CrossCheckExtras.badge(review)]),
        el("p", {}, nodes(t("Link: %(link)s"), {link: link(review.url)}))
      ]);
      var pointsOnly = state.phase === "adjustment" && done;  // T6: only points may change
      var columns = [];
      if (review.latest) { columns.push({title: t("Your review"), assessment: review.latest}); }
      if (review.author_self_check) { columns.push({title: t("Author's self-check"), assessment: review.author_self_check}); }
      review.other_reviews.forEach(function (other) { columns.push({title: other.title, assessment: other}); });
      if (columns.length > 1) {
        block.appendChild(Forms.pointsTable(state.checklist.items, columns, t("Points per item")));
      }
      // A window of extra reviews only before the end (D4): the assigned reviews are closed then.
      var assignedClosed = state.extra && state.extra.assigned_closed && !review.extra;
      if ((state.phase === "review" || pointsOnly) && !readOnly && !assignedClosed) {
        var form = Forms.form({
          items: state.checklist.items, maxScore: state.settings.max_score, className: "cc-review-form",
          initial: pointsOnly ? review.latest : (review.draft || review.latest || {}), bestWork: true,
          pointsOnly: pointsOnly, label: review.title, commentRule: state.settings.comment_rule,
          submitLabel: done ? t("Update review") : t("Submit review"),
          onDraft: draftSaver(review.id),
          onSubmit: submitter("submit_review", {review_id: review.id}, function () {
            announce(t("Your review of %(work)s is submitted.", {work: review.title}));
            // The next work not yet reviewed, if any, is shown next.
            var next = state.reviews.filter(function (other) { return other.status !== "submitted"; })[0];
            if (next && !done) { selectedReview = next.id; }
            focusAfterRender = true;
          })});
        if (done) {
          // A submitted review stays collapsed: its points are above; the form opens on demand.
          block.appendChild(el("details", {"class": "cc-edit-review"}, [
            el("summary", {text: pointsOnly ? t("Correct the points of this review") : t("Change this review")}), form]));
        } else {
          block.appendChild(form);
        }
      } else if (review.latest && columns.length < 2) {
        block.appendChild(Forms.pointsTable(state.checklist.items, columns, t("Points per item")));
      }
      var history = historyBlock(review.history, t("History of your review"));
      if (history) { block.appendChild(history); }
      var rated = CrossCheckThreads.ratingsList(review.ratings, state.checklist.items, false);
      if (rated) { block.appendChild(rated); }
      if (review.thread) { block.appendChild(conversation(review.thread, review.title)); }
      section.appendChild(block);
    });
    var focus = focusAfterRender;
    focusAfterRender = false;
    selectReview(selectedReview, focus);
  }

  var focusAfterRender = false;

  /** After a re-render took the focused control away, put the focus on the open tab's panel,
   * so that keyboard users go on from where they were, not from the top of the page. */
  function keepFocus() {
    if (box.contains(document.activeElement)) { return; }
    var panel = tabs && box.querySelector(".cc-panel:not([hidden])");
    if (panel) { panel.focus(); }
  }

  // ------------------------------------------------------------------ conversations about reviews

  /** Unread posts of the learner's threads, given (reviews) and received, from the state. */
  function unreadOf(list) {
    return list.reduce(function (sum, entry) { return sum + (entry.thread ? entry.thread.unread : 0); }, 0);
  }

  /** The "Conversation" disclosure of one review's thread; `other` names the other side, and
   * `received` is the review of the learner's work (its comments are beside the thanks buttons). */
  function conversation(summary, other, received) {
    return CrossCheckThreads.disclosure(summary, {
      call: call, items: state.checklist.items, maxScore: state.settings.max_score, readOnly: readOnly,
      label: other, announce: announce, showError: showError, comments: received || null,
      onRead: function () {
        state.unread_messages = unreadOf(state.reviews) + unreadOf(state.received);
        renderWorkList();
        updateBadges();
      },
      onRated: function (kind) {
        // can_rate and ratings change: the state afresh; the thread stays open and takes the focus.
        announce(kind === "thanks" ? t("Your thanks are sent.") : t("Your complaint is sent to course staff."));
        call("get_state").then(function (fresh) {
          state = fresh;
          render();
          var region = box.querySelector('.cc-thread-wrap[data-thread="' + summary.id + '"] .cc-thread');
          if (region) { region.focus(); }
        }).catch(function (err) { showError(err.message); });
      }});
  }

  // ------------------------------------------------------------------ received reviews and grade

  function renderReceived() {
    var section = $(".cc-received");
    section.textContent = "";
    var mine = latestSelfCheck();
    section.appendChild(el("h3", {text: t("Reviews of your work")}));
    if (!state.received.length) {
      section.appendChild(el("p", {"class": "cc-note cc-empty", text: state.submission
        ? t("No reviews of your work yet. Each review appears here as soon as its reviewer submits it.")
        : t("You did not submit a work, so there are no reviews of it.")}));
      return;
    }
    var columns = mine ? [{title: t("Your self-check"), assessment: mine}] : [];
    state.received.forEach(function (review) { columns.push({title: review.title, assessment: review}); });
    section.appendChild(Forms.pointsTable(state.checklist.items, columns, t("Points per item")));
    state.received.forEach(function (review) {
      var values = {reviewer: review.title, points: fmtPoints(review.total), max: fmtPoints(state.settings.max_score)};
      var thread = review.thread ? conversation(review.thread, review.title, review) : null;
      var canRate = review.can_rate || {};
      // F2: thanks are for a useful comment; the button beside the overall comment opens the
      // conversation at its thanks button (there every comment, the items' too, has its own).
      var thank = thread && canRate.thanks && review.comment && !readOnly
        ? el("button", {type: "button", "class": "cc-link cc-thank-comment", text: t("Thank for this comment"),
                        "aria-label": t("Thank %(reviewer)s for this comment", {reviewer: review.title}),
                        onclick: function () { thread.thankFor("comment"); }}) : null;
      var rateHint = thread && (canRate.thanks || canRate.complaint) && !readOnly
        ? el("p", {"class": "cc-note cc-rate-hint", text: canRate.complaint
          ? t("In the conversation you can thank the reviewer for a useful comment, or complain about points taken without reason.")
          : t("In the conversation you can thank the reviewer for a useful comment.")}) : null;
      section.appendChild(el("div", {"class": "cc-work cc-received-review", "data-thread": review.thread ? review.thread.id : null}, [
        el("h4", {text: review.best_work
          ? t("%(reviewer)s: %(points)s of %(max)s — marked your work as a best work", values)
          : t("%(reviewer)s: %(points)s of %(max)s", values)}),
        review.comment ? el("p", {"class": "cc-comment", text: review.comment}) : null,
        thank,
        historyBlock(review.history, t("History of this review")),
        CrossCheckThreads.ratingsList(review.ratings, state.checklist.items, true),
        rateHint,
        thread
      ]));
    });
  }

  function scoreText(score) {
    var values = {reviewer: score.reviewer, points: fmtPoints(score.total), reason: score.reason};
    if (!score.counted) { return t("%(reviewer)s: %(points)s (left out: %(reason)s)", values); }
    return score.reason ? t("%(reviewer)s: %(points)s (counted: %(reason)s)", values)
                        : t("%(reviewer)s: %(points)s (counted)", values);
  }

  function renderGrade() {
    var section = $(".cc-grade");
    section.textContent = "";
    var grade = state.grade;
    section.appendChild(el("h3", {text: t("Your grade")}));
    if (!grade) {
      section.appendChild(el("p", {"class": "cc-note cc-empty", text: state.settings.review_due
        ? t("Your grade appears here once the cross-check is complete (after %(date)s).", {date: fmtDate(state.settings.adjustment_due || state.settings.review_due)})
        : t("Your grade appears here once the cross-check is complete.")}));
      return;
    }
    section.appendChild(el("p", {"class": "cc-grade-points", text: grade.points === null ? t("No grade yet")
      : t("%(points)s of %(max)s", {points: fmtPoints(grade.points), max: fmtPoints(grade.max)})}));
    section.appendChild(el("p", {text: grade.message}));
    if (grade.rechecked) {
      // A staff re-check replaced the grade (see the appeal below): the scores below were the reviewers'.
      section.appendChild(el("p", {"class": "cc-note", text: t("How the reviewers' grade was computed:")}));
    }
    if (grade.scores.length) {
      section.appendChild(el("ul", {"class": "cc-grade-scores"}, grade.scores.map(function (score) {
        return el("li", {"class": score.counted && !grade.rechecked ? "cc-counted" : "cc-dropped"}, [scoreText(score)]);
      })));
    }
    if (grade.items && grade.items.length) {
      // Graded item by item: what each item counted, then what every reviewer gave it.
      section.appendChild(el("p", {"class": "cc-grade-items-head", text: t("Item by item:")}));
      section.appendChild(el("ul", {"class": "cc-grade-items"}, grade.items.map(function (item) {
        var got = item.type === "penalty"
          ? (item.points ? t("%(points)s points (penalty)", {points: fmtPoints(item.points)}) : t("no penalty"))
          : t("%(points)s of %(max)s", {points: fmtPoints(item.points), max: fmtPoints(item.max)});
        if (item.calibration) {  // issue 16: this item moved by its own offset against staff grades
          got += " " + (item.calibration > 0
            ? t("(raised by %(points)s by the calibration against staff grades)", {points: fmtPoints(item.calibration)})
            : t("(lowered by %(points)s by the calibration against staff grades)", {points: fmtPoints(-item.calibration)}));
        }
        var given = item.scores.map(function (score) {
          var values = {reviewer: score.reviewer, points: fmtPoints(score.points), reason: score.reason};
          return score.counted ? t("%(reviewer)s %(points)s", values)
                               : t("%(reviewer)s %(points)s (not counted: %(reason)s)", values);
        }).join(", ");
        // item.html is the checklist text sanitized by the server; everything else is text.
        return el("li", {"class": "cc-grade-item"}, nodes(t("%(item)s: %(points)s — %(given)s"),
                                                          {item: el("span", {html: item.html}), points: got, given: given}));
      })));
    }
  }

  // ------------------------------------------------------------------ header: countdown and progress

  // The setting holding the date the current phase waits for (times are shown in the browser's zone).
  var NEXT_SETTING = {not_open: "submission_start", submission: "submission_due", waiting: "review_start",
                      review: "review_due", adjustment: "adjustment_due"};

  function countdownText(now) {
    return state ? CrossCheckCommon.nextDateText(state.phase, state.settings[NEXT_SETTING[state.phase]], now) : "";
  }

  function renderCountdown() {
    var node = $(".cc-countdown");
    node.textContent = countdownText(new Date());
    node.hidden = !node.textContent;
  }

  function renderProgress() {
    var list = $(".cc-progress");
    list.textContent = "";
    var items = [];
    if (init.signed_in && !(init.is_staff && !state.submission)) {
      items.push(["work", state.submission ? t("Work: submitted") : t("Work: not submitted")]);
      var check = state.self_check;
      if (check && (check.open || check.history.length)) {
        items.push(["self", check.history.length ? t("Self-check: done") : t("Self-check: not done")]);
      }
      if (state.progress.reviews_assigned) {
        items.push(["reviews", t("Reviews: %(done)s of %(n)s done",
                                 {done: state.progress.reviews_done, n: state.progress.reviews_assigned})]);
      }
      if (state.grade && state.grade.points !== null) {
        items.push(["grade", t("Grade: %(points)s of %(max)s",
                               {points: fmtPoints(state.grade.points), max: fmtPoints(state.grade.max)})]);
      }
    }
    items.forEach(function (item) { list.appendChild(el("li", {"class": "cc-progress-" + item[0], text: item[1]})); });
    list.hidden = !items.length;
  }

  // ------------------------------------------------------------------ tabs

  var LEARNER_TABS = [
    {id: "work", label: t("My work"), panel: $(".cc-panel-work")},
    {id: "reviews", label: t("Reviews to do"), panel: $(".cc-panel-reviews")},
    {id: "feedback", label: t("Feedback on my work"), panel: $(".cc-panel-feedback")},
    {id: "grade", label: t("Grade and appeal"), panel: $(".cc-panel-grade"),
     onShow: function (changed) {  // the learner's own reviewer rating (reviewer_rating.js)
       if (changed && init.signed_in && !staffView) {
         CrossCheckReviewerRating.loadLearner($(".cc-reviewer-rating"), {call: call, showError: showError});
       }
     }}
  ];
  var STAFF_TABS = [
    {id: "progress", label: t("Progress"), panel: $(".cc-panel-progress"), className: "cc-tab-staff"},
    {id: "analytics", label: t("Analytics"), panel: $(".cc-panel-analytics"), className: "cc-tab-staff",
     onShow: function (changed) { if (changed) { loadAnalytics(); } }},
    {id: "appeals", label: t("Appeals"), panel: $(".cc-panel-appeals"), className: "cc-tab-staff",
     onShow: function (changed) { if (changed) { loadAppeals(); } }},
    {id: "threads", label: t("Conversations"), panel: $(".cc-panel-threads"), className: "cc-tab-staff",
     onShow: function (changed) { if (changed) { loadThreads(); } }},
    {id: "ratings", label: t("Reviewer ratings"), panel: $(".cc-panel-ratings"), className: "cc-tab-staff",
     onShow: function (changed) {
       if (changed) {
         CrossCheckReviewerRating.loadStaff($(".cc-panel-ratings"), {call: call, showError: showError,
                                                                     exportUrl: runtime.handlerUrl(root, "staff_export")});
       }
     }},
    {id: "best", label: t("Best works"), panel: $(".cc-panel-best"), className: "cc-tab-staff",
     onShow: function (changed) { if (changed) { loadBestWorks(); } }},
    {id: "settings", label: t("Settings"), panel: $(".cc-panel-settings"), className: "cc-tab-staff"}
  ];
  var tabs = null;

  /** The tab that needs the learner now. */
  function defaultTab() {
    if (init.is_staff && !readOnly) { return "progress"; }
    if (!state) { return "work"; }
    // A re-check course staff asked of this learner (B4) waits: it is in "Reviews to do".
    if (CrossCheckCommunity.waiting(state) && !readOnly) { return "reviews"; }
    if (state.grade || (state.appeal && state.appeal.submitted) || state.warnings.length || state.best_work
        || (state.vote && state.vote.eligible && state.vote.open)) { return "grade"; }
    var unfinished = state.reviews.some(function (review) { return review.status !== "submitted"; });
    if ((state.phase === "review" && unfinished) || (state.phase === "adjustment" && state.reviews.length)) {
      return "reviews";
    }
    // New posts in a conversation: the tab where they are.
    if (unreadOf(state.received)) { return "feedback"; }
    if (unreadOf(state.reviews)) { return "reviews"; }
    if (state.reviews.length && state.received.length) { return "feedback"; }
    if (state.reviews.length) { return "reviews"; }
    return "work";
  }

  function updateBadges() {
    if (!tabs || !state) { return; }
    var progress = state.progress;
    var given = unreadOf(state.reviews), received = unreadOf(state.received);
    var done = progress.reviews_assigned
      ? t("%(done)s of %(n)s", {done: progress.reviews_done, n: progress.reviews_assigned}) : "";
    var reviewsBadge = given ? (done ? t("%(badge)s, %(unread)s", {badge: done, unread: CrossCheckThreads.unreadText(given)})
                                     : CrossCheckThreads.unreadText(given)) : done;
    var rechecks = CrossCheckCommunity.waiting(state);
    if (rechecks) {
      var asked = nt("%(n)s re-check asked of you", "%(n)s re-checks asked of you", rechecks);
      reviewsBadge = reviewsBadge ? t("%(badge)s, %(rechecks)s", {badge: reviewsBadge, rechecks: asked}) : asked;
    }
    tabs.badge("reviews", reviewsBadge);
    var count = state.received.length ? String(state.received.length) : "";
    tabs.badge("feedback", received ? (count ? t("%(badge)s, %(unread)s", {badge: count, unread: CrossCheckThreads.unreadText(received)})
                                             : CrossCheckThreads.unreadText(received)) : count);
  }

  // ------------------------------------------------------------------ staff: progress

  function gradeCell(grade) {
    if (!grade) { return ""; }
    if (grade.points === null) { return CrossCheckCommon.gradeStatus(grade.status); }
    var text = t("%(points)s / %(max)s", {points: fmtPoints(grade.points), max: fmtPoints(grade.max)});
    return grade.status === "graded" ? text
      : t("%(grade)s (%(status)s)", {grade: text, status: CrossCheckCommon.gradeStatus(grade.status)});
  }

  function renderStaff(overview, message) {
    if (tabs && overview.appeals_pending !== undefined) {
      appealsBadge({pending: overview.appeals_pending, complaints_pending: overview.complaints_pending});
    }
    var section = $(".cc-staff");
    section.textContent = "";
    section.appendChild(el("h3", {text: t("Staff: progress")}));
    section.appendChild(el("p", {"class": "cc-staff-summary", text: overview.reviewers_per_work
      ? nt("%(n)s work submitted. %(phase)s Reviewers per work: %(k)s.",
           "%(n)s works submitted. %(phase)s Reviewers per work: %(k)s.", overview.submissions,
           {phase: overview.phase_text, k: overview.reviewers_per_work})
      : nt("%(n)s work submitted. %(phase)s", "%(n)s works submitted. %(phase)s", overview.submissions,
           {phase: overview.phase_text})}));
    if (overview.distribution_note) { section.appendChild(el("p", {"class": "cc-note cc-distribution-note", text: overview.distribution_note})); }
    if (overview.start_blocked) { section.appendChild(el("p", {"class": "cc-warning cc-start-blocked", text: overview.start_blocked})); }
    var failed = overview.gradebook ? overview.gradebook.failed : [];
    if (failed.length) {
      // Gradebook writes that failed wait for their retry; staff see which and why.
      section.appendChild(el("div", {"class": "cc-warning cc-gradebook-failed", role: "note"}, [
        el("p", {text: nt("%(n)s grade could not be written to the gradebook yet; it is tried again by itself:",
                          "%(n)s grades could not be written to the gradebook yet; they are tried again by themselves:",
                          failed.length)}),
        el("ul", {}, failed.map(function (row) {
          return el("li", {text: nt("%(learner)s: %(error)s (tried %(n)s time; next %(date)s)",
                                    "%(learner)s: %(error)s (tried %(n)s times; next %(date)s)", row.attempts,
                                    {learner: row.learner, error: row.error, date: fmtDate(row.retry_at)})});
        }))]));
    }
    if (message) { section.appendChild(el("p", {"class": "cc-ok", text: message})); }
    function action(label, handler, enabled) {
      return el("button", {type: "button", "class": "cc-" + handler, disabled: !enabled, onclick: function () {
        showError("");
        call(handler).then(function (data) {
          renderStaff(data.overview, data.result.message);
          announce(data.result.message);
          var again = $(".cc-staff button.cc-" + handler);
          if (again) { (again.disabled ? $(".cc-staff button:not([disabled])") || again : again).focus(); }
          return call("get_state").then(function (fresh) { state = fresh; render(); });
        }).catch(function (err) { showError(err.message); });
      }, text: label});
    }
    section.appendChild(el("div", {"class": "cc-staff-actions"}, [
      action(t("Start cross-check now"), "staff_start", overview.can_start),
      action(t("Complete now"), "staff_complete", overview.can_complete)]));
    var exportUrl = runtime.handlerUrl(root, "staff_export");
    var sep = exportUrl.indexOf("?") >= 0 ? "&" : "?";
    var links = [{href: exportUrl + sep + "kind=grades", text: t("Download grades (CSV)")},  // i18n: code
                 {href: exportUrl + sep + "kind=reviews", text: t("Download reviews (CSV)")}];  // i18n: code
    section.appendChild(el("p", {"class": "cc-staff-exports"}, links.map(function (item, i) {
      return el("span", {}, [i ? " · " : null, el("a", {href: item.href, download: "", text: item.text})]);
    })));
    var pool = CrossCheckExtras.staffPool(overview.extra_pool);
    if (pool) { section.appendChild(pool); }
    section.appendChild(learnersTable(overview));
  }

  // ------------------------------------------------------------------ staff: the learners' table

  // The page of the table staff look at (issue 15): the server sorts, searches and pages, so a
  // task of 10,000 learners sends 50 rows. Kept across re-renders (after Start or Complete).
  var staffQuery = {page: 1, per_page: 50, sort: "submitted_at", order: "asc", search: ""};  // i18n: code

  /** The learners' table (CrossCheckCommon.pagedTable) over `overview`'s page of learners. */
  function learnersTable(overview) {
    var columns = [
      {label: t("Learner"), sort: "learner", cell: function (row) { return row.learner; }},
      {label: t("Link"), sort: "url", cell: function (row) { return link(row.url); }},
      {label: t("Submitted"), sort: "submitted_at", cell: function (row) { return fmtDate(row.submitted_at); }},
      {label: t("Reviews done"), sort: "reviews_done",
       cell: function (row) { return t("%(done)s / %(n)s", {done: row.reviews_done, n: row.reviews_assigned}); }},
      {label: t("Reviews received"), sort: "reviews_received", cell: function (row) { return CrossCheckExtras.receivedText(row); }},
      {label: t("Grade"), sort: "grade", cell: function (row) { return gradeCell(row.grade); }}
    ];
    // After Start or Complete the answer is the first page: the page staff were on comes back.
    var saved = staffQuery;
    var node = CrossCheckCommon.pagedTable(columns, overview, {
      rows: function (answer) { return answer.learners; },
      fetch: function (query) { return call("staff_overview", query); },
      showError: showError,
      onQuery: function (query) { staffQuery = query; },
      rowAttrs: function (row) { return {"data-learner": row.learner}; },
      tableClass: "cc-staff-table cc-progress-table", wrapClass: "cc-staff-learners",
      caption: t("Learners and their progress"), searchLabel: t("Search by learner"),
      pagerLabel: t("Pages of the learners' table"),
      countText: function (answer, first, last) {
        return !answer.total
          ? (answer.search ? t("No learner matches “%(search)s”.", {search: answer.search}) : t("No learner has submitted yet."))
          : nt("Learner %(from)s–%(to)s of %(n)s", "Learners %(from)s–%(to)s of %(n)s", answer.total, {from: first, to: last});
      }});
    if (Object.keys(saved).some(function (key) { return saved[key] !== staffQuery[key]; })) { node.load(saved); }
    return node;
  }

  // ------------------------------------------------------------------ staff: analytics, appeals, settings

  var analyticsQuery = {};
  function loadAnalytics() {
    var panel = $(".cc-staff-analytics");
    if (!panel.firstChild) {
      panel.appendChild(el("div", {"class": "cc-panel-tools"}, [
        el("button", {type: "button", "class": "cc-staff_analytics", onclick: loadAnalytics, text: t("Refresh analytics")})]));
      panel.appendChild(el("div", {"class": "cc-analytics", "aria-busy": "true"},
                           [el("p", {"class": "cc-note", text: t("Loading…")})]));
    }
    var target = panel.querySelector(".cc-analytics");
    showError("");
    // A refresh shows the page of the works' table staff were on (issue 15: it pages on the server).
    call("staff_analytics", analyticsQuery).then(function (data) {
      CrossCheckAnalytics.render(target, data, {
        fetch: function (query) { return call("staff_analytics", query); }, showError: showError,
        onQuery: function (query) { analyticsQuery = query; }});
      target.removeAttribute("aria-busy");
      var calibration = el("div", {"class": "cc-calibration-panel"});
      target.appendChild(calibration);
      return call("staff_calibration").then(function (set) {
        CrossCheckCalibration.render(calibration, set, {call: call, showError: showError, announce: announce,
                                                        items: state.checklist.items, maxScore: state.settings.max_score,
                                                        status: data.status});
      });
    }).catch(function (err) { showError(err.message); });
  }

  function loadAppeals() {
    var panel = $(".cc-staff-appeals");
    if (!panel.firstChild) {
      panel.appendChild(el("div", {"class": "cc-panel-tools"}, [
        el("button", {type: "button", "class": "cc-staff_appeals", onclick: loadAppeals, text: t("Refresh appeals")})]));
      panel.appendChild(el("div", {"class": "cc-appeals", "aria-busy": "true"},
                           [el("p", {"class": "cc-note", text: t("Loading…")})]));
    }
    var target = panel.querySelector(".cc-appeals");
    showError("");
    call("staff_appeals").then(function (data) {
      CrossCheckAppeals.renderStaff(target, data, {call: call, showError: showError, announce: announce,
                                                   items: state.checklist.items, maxScore: state.settings.max_score,
                                                   onBadge: appealsBadge, openThread: openStaffThread});
      target.removeAttribute("aria-busy");
      appealsBadge(data);
    }).catch(function (err) { showError(err.message); });
  }

  /** The Appeals tab's badge: the appeals and the complaints waiting for staff. */
  function appealsBadge(data) {
    var waiting = (data.pending || 0) + (data.complaints_pending || 0);
    tabs.badge("appeals", waiting ? String(waiting) : "");
  }

  // A thread to open once the Conversations tab has loaded (from a complaint in the Appeals tab).
  var threadToOpen = null;

  function openStaffThread(token) {
    threadToOpen = token;
    if (tabs.current() === "threads") { loadThreads(); } else { tabs.select("threads", true); }
  }

  function threadsBadge(unread) {
    if (tabs) { tabs.badge("threads", unread ? CrossCheckThreads.unreadText(unread) : ""); }
  }

  /** The best works page (issue 12) into its staff tab. */
  function loadBestWorks() {
    var panel = $(".cc-staff-best");
    panel.setAttribute("aria-busy", "true");
    showError("");
    var exportUrl = runtime.handlerUrl(root, "staff_export");
    exportUrl += (exportUrl.indexOf("?") >= 0 ? "&" : "?") + "kind=best_works";  // i18n: code
    return call("staff_best_works").then(function (data) {
      CrossCheckBestWorks.renderStaff(panel, data, {call: call, showError: showError, announce: announce,
                                                    exportUrl: exportUrl});
      panel.removeAttribute("aria-busy");
    }).catch(function (err) { panel.removeAttribute("aria-busy"); showError(err.message); });
  }

  function loadThreads() {
    var panel = $(".cc-staff-threads");
    if (!panel.firstChild) {
      panel.appendChild(el("div", {"class": "cc-panel-tools"}, [
        el("button", {type: "button", "class": "cc-staff_threads", onclick: loadThreads, text: t("Refresh conversations")})]));
      panel.appendChild(el("div", {"class": "cc-threads", "aria-busy": "true"},
                           [el("p", {"class": "cc-note", text: t("Loading…")})]));
    }
    var target = panel.querySelector(".cc-threads");
    showError("");
    return call("staff_threads").then(function (data) {
      CrossCheckThreads.renderStaff(target, data, {call: call, showError: showError, announce: announce,
                                                   items: state.checklist.items, maxScore: state.settings.max_score,
                                                   onUnread: threadsBadge});
      target.removeAttribute("aria-busy");
      if (threadToOpen && target.openThread) { target.openThread(threadToOpen); }
      threadToOpen = null;
    }).catch(function (err) { showError(err.message); });
  }

  function renderSettings() {
    var panel = $(".cc-staff-settings");
    panel.textContent = "";
    var s = state.settings;
    var rows = [
      [t("Title"), s.display_name],
      [t("What learners submit"), s.submission_help],
      [t("Reviews per work"), String(s.reviews_per_work)],
      [t("Maximum score"), fmtPoints(s.max_score)],
      [t("Grading policy"), t("%(policy)s: %(text)s", {policy: s.policy_label || s.grading_policy, text: s.policy_text})],
      [t("Submission deadline"), s.submission_due ? fmtDate(s.submission_due) : t("not set")],
      [t("Cross-check start"), s.review_start ? fmtDate(s.review_start) : t("not set")],
      [t("Cross-check end"), s.review_due ? fmtDate(s.review_due) : t("not set")],
      [t("Adjustment period ends"), s.adjustment_due ? fmtDate(s.adjustment_due) : t("no adjustment period")]
    ];
    panel.appendChild(el("h3", {text: t("Settings")}));
    panel.appendChild(el("dl", {"class": "cc-settings-list"}, rows.reduce(function (all, row) {
      return all.concat([el("dt", {text: row[0]}), el("dd", {text: row[1]})]);
    }, [])));
    panel.appendChild(el("p", {"class": "cc-note cc-settings-note", text: t("The settings and the checklist are changed in Studio: open this component's Edit view. Learners see the changes once the course is published.")}));
    if (init.studio_url) {
      panel.appendChild(el("p", {}, [el("a", {href: init.studio_url, "class": "cc-studio-link", target: "_blank",
                                              rel: "noopener", text: t("Edit in Studio")})]));
    }
  }

  // ------------------------------------------------------------------ the page

  function render() {
    if (!state) { return; }
    $(".cc-title").textContent = state.settings.display_name;
    $(".cc-phase").textContent = state.phase_text;
    renderCountdown();
    renderProgress();
    renderSubmission();
    renderSelfCheck();
    renderReviews();
    renderReceived();
    renderGrade();
    CrossCheckCommunity.renderLearner($(".cc-community"), {
      state: state, call: call, showError: showError, readOnly: readOnly, announce: announce,
      onState: function (fresh) { state = fresh; render(); keepFocus(); }});
    CrossCheckAppeals.renderLearner($(".cc-appeal"), {
      state: state, call: call, showError: showError, readOnly: readOnly, announce: announce,
      onState: function (fresh) { state = fresh; render(); keepFocus(); }});
    var best = $(".cc-best-works");
    best.textContent = "";
    var bestPart = CrossCheckBestWorks.learnerPart(state, {
      call: call, readOnly: readOnly, announce: announce,
      onState: function (fresh) { state = fresh; render(); keepFocus(); }});
    if (bestPart) { best.appendChild(bestPart); }
    if (init.is_staff && !readOnly) { renderSettings(); }
    renderNotices();
    updateBadges();
  }

  /** N1–N12 (notices.js): the badge and the list; marking read updates them in place. */
  function renderNotices() {
    if (!init.signed_in) { return; }
    CrossCheckNotices.render($(".cc-notices"), state.notices, {
      call: call, readOnly: readOnly, showError: showError, announce: announce,
      onNotices: function (fresh) { state.notices = fresh; renderNotices(); },
      telegram: state.telegram, timeZoneReported: state.time_zone_reported || "",
      onTelegram: function (fresh) { state.telegram = fresh; renderNotices(); },
      refresh: function () {
        call("get_state").then(function (fresh) { state = fresh; render(); }).catch(function (err) { showError(err.message); });
      }});
  }

  if (init.error) { showError(init.error); }
  if (readOnly) {
    var notice = $(".cc-read-only");
    notice.textContent = init.read_only;
    notice.hidden = false;
  }
  var staffView = init.is_staff && !readOnly;
  if (state) {
    tabs = CrossCheckCommon.tabList($(".cc-tablist"), staffView ? LEARNER_TABS.concat(STAFF_TABS) : LEARNER_TABS);
  } else {
    $(".cc-tablist").hidden = true;
  }
  render();
  if (tabs) { tabs.select(defaultTab()); }
  // The notices come after the page (issue 15: the page embeds the rest of the state); a state
  // that arrived meanwhile (get_state) brought its own, newer ones.
  if (state && init.signed_in && state.notices === null) {
    call("get_notices").then(function (part) {
      if (state.notices !== null) { return; }
      ["notices", "time_zone", "time_zone_reported", "telegram"].forEach(function (key) { state[key] = part[key]; });  // i18n: code
      renderNotices();
    }).catch(function (err) { showError(err.message); });
  }
  // The course overview (S4) below the task: its own call once the page is there (the page's
  // state costs no query more); a failure leaves it hidden, the task works without it.
  var overview = $(".cc-overview");
  if (state && init.signed_in) {
    call("course_overview").then(function (data) {
      CrossCheckOverview.renderInBlock(overview, data, init.course_page_url);
    }).catch(function () { return null; });
  }
  setInterval(function () {
    renderCountdown();
    if (!overview.hidden) { CrossCheckOverview.refresh(overview); }
  }, 30000);
  if (staffView) {
    call("staff_overview").then(function (overview) { renderStaff(overview); })
      .catch(function (err) { showError(err.message); });
    // The Conversations tab's unread count, before the tab is opened.
    call("staff_threads").then(function (data) {
      threadsBadge(data.threads.reduce(function (sum, row) { return sum + row.unread; }, 0));
    }).catch(function () { return null; });
  }
}
