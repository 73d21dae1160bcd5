/* The checklist form (a review or a self-check) and the points tables, for crosscheck.js.
 *
 * Per scored item: "Not done", nine stars for 10–90 %, "Done" (one radio group, arrow keys move
 * the choice), and a number input for points as the alternative; penalties are No/Yes. Every
 * change updates the live total and schedules an autosave of the draft. Item texts arrive from
 * the server already sanitized (`html`); everything learners wrote is set with textContent.
 */
var CrossCheckForms = (function () {
  "use strict";  // i18n: code

  var STEPS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  var AUTOSAVE_MS = 800;

  var el = CrossCheckCommon.el, round2 = CrossCheckCommon.round2, fmtPoints = CrossCheckCommon.fmtPoints;
  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt;

  /** "3 points", "1 point", "2,5 балла": points as text with the plural of the language. */
  function pointsText(value) {
    return nt("%(n)s point", "%(n)s points", round2(value));
  }

  function same(a, b) { return typeof a === "number" && Math.abs(a - b) < 1e-9; }

  /* The review total as the server computes it: fraction × max, penalties subtract, floor 0, cap. */
  function total(items, values, maxScore) {
    var sum = 0;
    items.forEach(function (item) {
      if ((item.type === "subtask" || item.type === "penalty") && typeof values[item.id] === "number") {
        sum += values[item.id] * item.max;
      }
    });
    return {raw: round2(sum), shown: round2(Math.min(Math.max(sum, 0), maxScore))};
  }

  function scaleLabel(value) {
    if (value === 0) { return t("Not done"); }
    if (value === 1) { return t("Done"); }
    return CrossCheckCommon.percent(value);
  }

  /* One radio group: options [{value, label, text, className}], arrow keys and Home/End. */
  function choiceGroup(label, options, current, onPick) {
    var group = el("div", {"class": "cc-scale", role: "radiogroup", "aria-label": label});
    var buttons = options.map(function (option) {
      return el("button", {type: "button", role: "radio", "class": option.className, title: option.title,
                           "aria-label": option.label, "data-value": String(option.value), text: option.text,
                           onclick: function () { pick(option.value, true); }});
    });
    function pick(value, fromUser, focus) {
      var focusIndex = 0;
      buttons.forEach(function (button, index) {
        var on = same(value, options[index].value);
        button.setAttribute("aria-checked", on ? "true" : "false");
        button.tabIndex = on ? 0 : -1;
        if (on) { focusIndex = index; }
        // A star is lit when it is at or below the chosen share (the stars read as a scale).
        if (options[index].star) {
          button.classList.toggle("cc-lit", typeof value === "number" && value > 0 && value < 1 + 1e-9 &&
                                  options[index].value <= value + 1e-9);
        }
      });
      if (typeof value !== "number") { buttons[0].tabIndex = 0; }
      if (focus) { buttons[focusIndex].focus(); }
      if (fromUser) { onPick(value); }
    }
    group.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) { return; }
      var next = {ArrowRight: index + 1, ArrowUp: index + 1, ArrowLeft: index - 1, ArrowDown: index - 1,
                  Home: 0, End: buttons.length - 1}[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      next = Math.max(0, Math.min(buttons.length - 1, next));
      pick(options[next].value, true, true);
    });
    buttons.forEach(function (button) { group.appendChild(button); });
    pick(current, false);
    group.pick = function (value) { pick(value, false); };
    return group;
  }

  function itemRow(item, values, comments, onChange) {
    var row = el("div", {"class": "cc-item cc-item-" + item.type, "data-item": item.id});
    // Every control names its checklist item: screen readers and voice control reach a control
    // by its name, and "Points" alone would not say which of fifteen items it is.
    var name = CrossCheckCommon.plainText(item.html);
    var points = el("input", {type: "number", "class": "cc-points", min: item.type === "penalty" ? item.max : 0,
                              max: item.type === "penalty" ? 0 : item.max, step: "any",
                              "aria-label": t("Points for ‘%(item)s’ (of %(max)s)", {item: name, max: fmtPoints(item.max)})});
    var group;
    function setValue(value, source) {
      if (typeof value === "number") { values[item.id] = value; } else { delete values[item.id]; }
      if (points && source !== "points") { points.value = typeof value === "number" ? String(round2(value * item.max)) : ""; }
      if (source !== "group") { group.pick(value); }
      onChange();
    }
    if (item.type === "penalty") {
      group = choiceGroup(t("Penalty ‘%(item)s’ applies?", {item: name}), [
        {value: 0, label: t("No: no penalty for ‘%(item)s’", {item: name}), title: t("No"), text: t("No"),
         className: "cc-opt"},
        {value: 1, label: t("Yes: %(points)s for ‘%(item)s’", {points: pointsText(item.max), item: name}),
         title: t("Yes: %(points)s", {points: pointsText(item.max)}), text: t("Yes"), className: "cc-opt cc-opt-yes"}
      ], values[item.id], function (value) { setValue(value, "group"); });
      points = null;
    } else {
      group = choiceGroup(t("Points for ‘%(item)s’", {item: name}), STEPS.map(function (step) {
        var star = step > 0 && step < 1;
        var short = t("%(choice)s (%(points)s)", {choice: scaleLabel(step), points: pointsText(step * item.max)});
        return {value: step, star: star, title: short,
                label: t("%(choice)s (%(points)s) for ‘%(item)s’",
                         {choice: scaleLabel(step), points: pointsText(step * item.max), item: name}),
                text: star ? "★" : scaleLabel(step), className: star ? "cc-star" : "cc-opt"};
      }), values[item.id], function (value) { setValue(value, "group"); });
      points.addEventListener("input", function () {
        var number = Number(points.value);
        if (points.value === "" || isNaN(number) || item.max === 0) { setValue(undefined, "points"); return; }
        setValue(number / item.max, "points");
      });
      if (typeof values[item.id] === "number") { points.value = String(round2(values[item.id] * item.max)); }
    }
    var note = el("textarea", {"class": "cc-item-comment", rows: "2", "aria-label": t("Comment on ‘%(item)s’", {item: name}),
                               oninput: function () { comments[item.id] = note.value; onChange(); }});
    note.value = comments[item.id] || "";
    var noteWrap = el("div", {"class": "cc-item-note"}, [note]);
    noteWrap.hidden = !note.value;
    var noteToggle = el("button", {type: "button", "class": "cc-link", text: t("Comment"),
                                   "aria-label": t("Comment on ‘%(item)s’", {item: name}),
                                   "aria-expanded": note.value ? "true" : "false",
                                   onclick: function () {
                                     noteWrap.hidden = !noteWrap.hidden;
                                     noteToggle.setAttribute("aria-expanded", noteWrap.hidden ? "false" : "true");
                                     if (!noteWrap.hidden) { note.focus(); }
                                   }});
    var sign = item.max > 0 ? "+" : "";
    row.appendChild(el("div", {"class": "cc-item-text"}, [
      el("span", {html: item.html}), " ",
      el("span", {"class": "cc-max", text: t("(%(sign)s%(max)s)", {sign: sign, max: fmtPoints(item.max)})})]));
    row.appendChild(el("div", {"class": "cc-item-controls"}, [group, points, noteToggle]));
    row.appendChild(noteWrap);
    // Shown while the comment rule asks this item for a comment (form's updateCommentNeeds).
    var needId = CrossCheckCommon.uniqueId("cc-need");
    var need = el("p", {"class": "cc-comment-needed", id: needId});
    need.hidden = true;
    note.setAttribute("aria-describedby", needId);
    row.appendChild(need);
    row.commentParts = {note: note, wrap: noteWrap, toggle: noteToggle, need: need};
    return row;
  }

  /* Whether an item's value lost points: a subtask below its maximum, a penalty applied. */
  function lostPoints(item, value) {
    if (typeof value !== "number" || item.max === 0) { return false; }
    return item.type === "penalty" ? value > 0 : value < 1;
  }

  function trimmedLength(text) { return (text || "").trim().length; }

  /* A whole form. opts: {items, maxScore, initial: {items, item_comments, comment, best_work},
   * bestWork: bool, submitLabel, onDraft(data) → Promise, onSubmit(payload) → Promise,
   * commentRule: {rule, min_chars} (reviews only: settings.comment_rule)}. */
  function form(opts) {
    var initial = opts.initial || {};
    var values = Object.assign({}, initial.items || {});
    var comments = Object.assign({}, initial.item_comments || {});
    var timer = null;
    var status = el("span", {"class": "cc-draft-status", "aria-live": "polite"});
    var totalNode = el("p", {"class": "cc-total", "aria-live": "polite"});
    var overallId = CrossCheckCommon.uniqueId("cc-comment");
    var overall = el("textarea", {"class": "cc-comment-input", rows: "3", id: overallId, oninput: changed});
    overall.value = initial.comment || "";
    var best = el("input", {type: "checkbox", "class": "cc-best-work", checked: !!initial.best_work, onchange: changed});
    if (opts.pointsOnly) {
      // The adjustment period (T6): comments and the best-work mark stay as submitted.
      overall.readOnly = true;
      best.disabled = true;
    }

    function data() {
      return {items: Object.assign({}, values), item_comments: Object.assign({}, comments),
              comment: overall.value, best_work: best.checked};
    }
    function updateTotal() {
      var sums = total(opts.items, values, opts.maxScore);
      var shown = {total: fmtPoints(sums.shown), max: fmtPoints(opts.maxScore)};
      totalNode.textContent = sums.raw > opts.maxScore ? t("Total: %(total)s of %(max)s (capped at the task's maximum)", shown)
                                                       : t("Total: %(total)s of %(max)s", shown);
    }
    function changed() {
      updateTotal();
      updateCommentNeeds();
      if (!opts.onDraft || opts.pointsOnly) { return; }
      clearTimeout(timer);
      status.textContent = t("Unsaved changes…");
      timer = setTimeout(function () {
        opts.onDraft(data()).then(function () {
          status.textContent = t("Draft saved %(time)s", {time: new Date().toLocaleTimeString(CrossCheckCommon.language())});
        }).catch(function (err) { status.textContent = t("Draft not saved: %(error)s", {error: err.message}); });
      }, AUTOSAVE_MS);
    }

    var itemRows = {};
    var rule = opts.commentRule && opts.commentRule.rule !== "none" ? opts.commentRule : null;
    var summary = el("p", {"class": "cc-comment-summary", "aria-live": "polite"});
    var initialItems = initial.items || {};
    var initialTotal = total(opts.items, initialItems, opts.maxScore).shown;

    /* What the comment rule still asks, as the server judges it (services/reviews.py): the items
     * that lost points without a comment, or the overall comment; in the adjustment period only
     * the points that changed. */
    function missingComments() {
      var found = {items: [], overall: false};
      if (!rule) { return found; }
      if (rule.rule === "deducted") {
        opts.items.forEach(function (item) {
          if (!itemRows[item.id] || !lostPoints(item, values[item.id])) { return; }
          if (opts.pointsOnly && same(initialItems[item.id], values[item.id])) { return; }
          if (trimmedLength(comments[item.id]) < rule.min_chars) { found.items.push(item.id); }
        });
      } else if (rule.rule === "overall") {
        var shown = total(opts.items, values, opts.maxScore).shown;
        found.overall = shown < opts.maxScore && trimmedLength(overall.value) < rule.min_chars &&
          !(opts.pointsOnly && Math.abs(shown - initialTotal) < 1e-9);
      }
      return found;
    }
    function updateCommentNeeds() {
      if (!rule) { return {items: [], overall: false}; }
      var found = missingComments();
      Object.keys(itemRows).forEach(function (id) {
        var parts = itemRows[id].commentParts, needed = found.items.indexOf(id) >= 0;
        parts.need.hidden = !needed;
        parts.need.textContent = needed ? nt("Points were taken here: say why in a comment of at least %(n)s character.",
                                             "Points were taken here: say why in a comment of at least %(n)s characters.",
                                             rule.min_chars) : "";
        itemRows[id].classList.toggle("cc-needs-comment", needed);
      });
      var texts = [];
      if (found.items.length) {
        texts.push(nt("Before submitting: %(n)s item that lost points still needs a comment.",
                      "Before submitting: %(n)s items that lost points still need a comment.", found.items.length));
      }
      if (found.overall) {
        texts.push(nt("Before submitting: the total is below the maximum, so the overall comment needs at least %(n)s character.",
                      "Before submitting: the total is below the maximum, so the overall comment needs at least %(n)s characters.",
                      rule.min_chars));
      }
      if (texts.length && opts.pointsOnly) { texts.push(t("Comments cannot change now, so keep these points as they were.")); }
      var text = texts.join(" ");
      if (summary.textContent !== text) { summary.textContent = text; }
      overall.setAttribute("aria-invalid", found.overall ? "true" : "false");
      return found;
    }

    var rows = opts.items.map(function (item) {
      if (item.type === "title" || item.type === "subtitle") {
        return el("div", {"class": "cc-heading cc-item-" + item.type, html: item.html});
      }
      var row = itemRow(item, values, comments, changed);
      itemRows[item.id] = row;
      if (opts.pointsOnly) { row.querySelector("textarea.cc-item-comment").readOnly = true; }
      return row;
    });
    if (opts.pointsOnly) {
      rows.unshift(el("p", {"class": "cc-note", text: t("The cross-check has ended: you may correct the points of this review until the adjustment period ends.")}));
    }
    var extras = [totalNode, el("label", {"class": "cc-block-label", "for": overallId}, [t("Overall comment")]), overall];
    if (opts.bestWork) {
      var noteId = CrossCheckCommon.uniqueId("cc-best-note");
      best.setAttribute("aria-describedby", noteId);
      extras.push(el("label", {"class": "cc-best"}, [best, " ", t("Mark as best work")]));
      extras.push(el("p", {"class": "cc-note", id: noteId, text: t("A best work is one you would show others as an example: it does everything the checklist asks, and does it in a clean, thoughtful way. Course staff see the works marked best; the author is not told who marked it.")}));
    }
    var submit = el("button", {type: "submit", "class": "cc-submit", text: opts.submitLabel});
    var node = el("form", {"class": "cc-form " + (opts.className || ""), novalidate: true,
                           "aria-label": opts.label ? t("Review of %(work)s", {work: opts.label}) : null,
                           onsubmit: function (event) {
      event.preventDefault();
      var found = updateCommentNeeds();
      if (found.items.length || found.overall) {
        // The server would refuse it (400 comment_required): go to the first missing comment.
        if (found.items.length) {
          var parts = itemRows[found.items[0]].commentParts;
          parts.wrap.hidden = false;
          parts.toggle.setAttribute("aria-expanded", "true");
          parts.note.focus();
        } else {
          overall.focus();
        }
        return;
      }
      clearTimeout(timer);
      submit.disabled = true;
      opts.onSubmit(data()).catch(function () { return null; }).then(function () { submit.disabled = false; });
    }}, rows.concat(extras).concat([summary, el("div", {"class": "cc-form-actions"}, [submit, " ", status])]));
    updateTotal();
    updateCommentNeeds();
    return node;
  }

  /* Points per item side by side: columns [{title, assessment}] (R7, R8). */
  function pointsTable(items, columns, caption) {
    var head = el("tr", {}, [el("th", {scope: "col", text: t("Item")})].concat(columns.map(function (column) {
      return el("th", {scope: "col", text: t("%(title)s: %(points)s", {title: column.title, points: fmtPoints(column.assessment.total)})});
    })));
    var rows = items.filter(function (item) { return item.type === "subtask" || item.type === "penalty"; })
      .map(function (item) {
        return el("tr", {"data-item": item.id}, [el("th", {scope: "row", html: item.html})].concat(columns.map(function (column) {
          var value = column.assessment.items[item.id];
          var note = (column.assessment.item_comments || {})[item.id];
          return el("td", {"class": "cc-cell"}, [
            typeof value === "number" ? fmtPoints(value * item.max) : "–",
            note ? el("div", {"class": "cc-cell-note", text: note}) : null]);
        })));
      });
    return el("table", {"class": "cc-points-table"}, [el("caption", {text: caption}), el("thead", {}, [head]),
                                                      el("tbody", {}, rows)]);
  }

  return {form: form, pointsTable: pointsTable, total: total, el: el};
})();
