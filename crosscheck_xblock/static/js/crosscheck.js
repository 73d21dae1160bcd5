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
  var state = init.state || null;
  var drafts = {};  // review id -> {items, comment} being edited (kept across re-renders)

  function $(sel) { return box.querySelector(sel); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { node.textContent = value; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
      else { node.setAttribute(key, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function call(handler, body) {
    return fetch(runtime.handlerUrl(root, handler), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {error: "The server answered " + response.status + "."}; })
        .then(function (data) {
          if (!response.ok) { throw new Error(data.error || ("Error " + response.status)); }
          return data;
        });
    });
  }

  function showError(message) {
    var node = $(".cc-error");
    node.textContent = message || "";
    node.hidden = !message;
    if (message && node.scrollIntoView) { node.scrollIntoView({block: "nearest"}); }
  }

  function fmtDate(iso) {
    if (!iso) { return ""; }
    var date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString();
  }

  function fmtPoints(value) {
    return (Math.round(value * 100) / 100).toString();
  }

  // ------------------------------------------------------------------ submission

  function renderSubmission() {
    var section = $(".cc-submission");
    section.textContent = "";
    var settings = state.settings;
    var sub = state.submission;
    section.appendChild(el("h3", {text: "Your work"}));
    if (sub) {
      section.appendChild(el("p", {"class": "cc-submitted"}, [
        "Submitted: ", el("a", {href: sub.url, target: "_blank", rel: "noopener noreferrer", text: sub.url}),
        el("span", {"class": "cc-note", text: " (" + fmtDate(sub.updated_at) + ")"})
      ]));
    }
    if (state.phase === "submission") {
      if (!init.signed_in) {
        section.appendChild(el("p", {text: "Sign in to submit your work."}));
        return;
      }
      var input = el("input", {type: "url", name: "url", required: true, value: sub ? sub.url : "",
                               placeholder: "https://", "aria-label": "Link to your work"});
      var form = el("form", {"class": "cc-submit-form", onsubmit: function (event) {
        event.preventDefault();
        showError("");
        call("submit_work", {url: input.value}).then(function (data) {
          state = data;
          render();
          $(".cc-submission").appendChild(el("p", {"class": "cc-ok",
            text: "Your work is saved. It goes to review when the cross-check starts" +
                  (state.settings.review_start ? " (" + fmtDate(state.settings.review_start) + ")" : "") +
                  ". You can replace the link until the submission deadline."}));
        }).catch(function (err) { showError(err.message); });
      }}, [
        el("label", {}, [el("span", {text: "Submit " + settings.submission_help + "."}), el("br"), input]),
        el("br"),
        el("button", {type: "submit", text: sub ? "Replace link" : "Submit"})
      ]);
      section.appendChild(form);
      if (settings.submission_due) {
        section.appendChild(el("p", {"class": "cc-note", text: "Submission deadline: " + fmtDate(settings.submission_due)}));
      }
    } else if (!sub) {
      section.appendChild(el("p", {text: "You did not submit a work for this task."}));
    }
  }

  // ------------------------------------------------------------------ reviews to do

  function itemPoints(item, value) {
    return value * item.max;
  }

  function reviewTotal(values) {
    var total = 0;
    state.checklist.items.forEach(function (item) {
      if (item.type === "subtask" || item.type === "penalty") { total += itemPoints(item, values[item.id] || 0); }
    });
    return Math.min(Math.max(total, 0), state.settings.max_score);
  }

  function choiceInput(review, item, values, onChange) {
    var name = "cc-" + review.id + "-" + item.id;
    var current = values[item.id];
    var wrap = el("div", {"class": "cc-choice", role: "radiogroup", "aria-label": "Points for this item"});
    var radios = [];
    var partly = null;
    function same(a, b) { return a !== undefined && a !== null && Math.abs(a - b) < 1e-9; }
    function radio(label, value) {
      var input = el("input", {type: "radio", name: name, value: String(value), checked: same(current, value),
                               onchange: function () {
                                 values[item.id] = value;
                                 if (partly) { partly.value = ""; }  // a radio choice replaces a partial one
                                 onChange();
                               }});
      radios.push(input);
      return el("label", {}, [input, " " + label]);
    }
    if (item.type === "penalty") {
      wrap.appendChild(radio("No", 0));
      wrap.appendChild(radio("Yes", 1));
      return wrap;
    }
    wrap.appendChild(radio("Not done", 0));
    partly = el("select", {"aria-label": "Partly done: share of the item", onchange: function () {
      if (partly.value === "") { delete values[item.id]; }
      else { values[item.id] = Number(partly.value); }
      radios.forEach(function (input) { input.checked = false; });  // …and a partial one replaces a radio
      onChange();
    }});
    partly.appendChild(el("option", {value: "", text: "Partly done…"}));
    for (var tenth = 1; tenth <= 9; tenth++) {
      partly.appendChild(el("option", {value: String(tenth / 10), text: (tenth * 10) + "%",
                                       selected: same(current, tenth / 10)}));
    }
    wrap.appendChild(partly);
    wrap.appendChild(radio("Done", 1));
    return wrap;
  }

  function reviewForm(review) {
    var draft = drafts[review.id] || (drafts[review.id] = {
      items: Object.assign({}, review.items || {}), comment: review.comment || ""});
    var values = draft.items;
    var totalNode = el("p", {"class": "cc-total"});
    function updateTotal() {
      totalNode.textContent = "Total: " + fmtPoints(reviewTotal(values)) + " of " + state.settings.max_score;
    }
    var rows = state.checklist.items.map(function (item) {
      if (item.type === "title" || item.type === "subtitle") {
        return el("div", {"class": "cc-item-" + item.type, text: item.text});
      }
      return el("div", {"class": "cc-item", "data-item": item.id}, [
        el("div", {}, [el("span", {text: item.text}), " ",
                       el("span", {"class": "cc-max", text: "(" + (item.max > 0 ? "+" : "") + item.max + ")"})]),
        choiceInput(review, item, values, updateTotal)
      ]);
    });
    var comment = el("textarea", {"aria-label": "Comment for the author",
                                  oninput: function () { draft.comment = comment.value; }});
    comment.value = draft.comment;
    updateTotal();
    return el("form", {"class": "cc-review-form", onsubmit: function (event) {
      event.preventDefault();
      showError("");
      call("submit_review", {review_id: review.id, items: values, comment: comment.value}).then(function (data) {
        delete drafts[review.id];
        state = data;
        render();
      }).catch(function (err) { showError(err.message); });
    }}, rows.concat([totalNode, el("label", {}, [el("span", {text: "Comment"}), el("br"), comment]),
                     el("button", {type: "submit", text: review.status === "submitted" ? "Update review" : "Submit review"})]));
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
      var open = state.phase === "review";
      var block = el("div", {"class": "cc-work" + (review.status === "submitted" ? " cc-done" : ""), "data-review": review.id}, [
        el("h4", {}, [review.title + " ",
                      el("span", {"class": "cc-badge", text: review.status === "submitted" ? "reviewed: " + fmtPoints(review.total) : "to review"})]),
        el("p", {}, ["Link: ", el("a", {href: review.url, target: "_blank", rel: "noopener noreferrer", text: review.url})])
      ]);
      if (open) { block.appendChild(reviewForm(review)); }
      section.appendChild(block);
    });
  }

  // ------------------------------------------------------------------ received reviews and grade

  function renderReceived() {
    var section = $(".cc-received");
    section.textContent = "";
    if (!state.received.length) { return; }
    section.appendChild(el("h3", {text: "Reviews of your work"}));
    state.received.forEach(function (review) {
      section.appendChild(el("div", {"class": "cc-work"}, [
        el("h4", {text: review.title + ": " + fmtPoints(review.total) + " of " + state.settings.max_score}),
        review.comment ? el("p", {"class": "cc-comment", text: review.comment}) : null
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
    if (grade.scores.length) {
      section.appendChild(el("ul", {"class": "cc-grade-scores"}, grade.scores.map(function (score) {
        return el("li", {"class": score.counted ? "cc-counted" : "cc-dropped"},
                  [score.reviewer + ": " + fmtPoints(score.total) + (score.counted ? " (counted)" : " (left out: " + score.reason + ")")]);
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
  }

  function render() {
    if (!state) { return; }
    $(".cc-title").textContent = state.settings.display_name;
    $(".cc-phase").textContent = state.phase_text;
    renderSubmission();
    renderReviews();
    renderReceived();
    renderGrade();
  }

  if (init.error) { showError(init.error); }
  render();
  if (init.is_staff) {
    call("staff_overview").then(function (overview) { renderStaff(overview); })
      .catch(function (err) { showError(err.message); });
  }
}
