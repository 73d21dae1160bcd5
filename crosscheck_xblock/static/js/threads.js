/* The anonymous conversation about one review (issue 11), for crosscheck.js: the learner's
 * "Conversation" disclosure beside each given and received review, and the staff's
 * "Conversations" tab (every thread of the task, read and answered as "Course staff").
 *
 * A thread shows its timeline (posts and the review's versions in time order), the notice that
 * course staff can read it, and, while posts are taken, a form: a message and optionally a
 * prepared phrase naming checklist items. Everything a learner wrote is set with textContent;
 * only the checklist items' sanitized `html` is markup.
 */
var CrossCheckThreads = (function () {
  "use strict";  // i18n: code

  var el = CrossCheckCommon.el, fmtDate = CrossCheckCommon.fmtDate, fmtPoints = CrossCheckCommon.fmtPoints;
  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt;
  var MAX_LENGTH = 5000;

  // What stays across re-renders of the page: the threads open (their last answer) and the text
  // typed into their forms, by thread id.
  var opened = {};
  var typed = {};

  function scored(items) {
    return items.filter(function (item) { return item.type === "subtask" || item.type === "penalty"; });
  }

  /** "Conversation", "Conversation (2 new)": the toggle's label. */
  function toggleLabel(unread) {
    return unread ? nt("Conversation (%(n)s new)", "Conversation (%(n)s new)", unread) : t("Conversation");
  }

  /** "1 new message" for the tabs and the list of works. */
  function unreadText(unread) {
    return nt("%(n)s new message", "%(n)s new messages", unread);
  }

  // ------------------------------------------------------------------ the timeline

  function entryNode(entry, staff, ctx) {
    if (entry.kind === "review_version") {
      return el("li", {"class": "cc-entry cc-entry-version"}, [
        el("p", {"class": "cc-note", text: t("Review version %(version)s: %(points)s of %(max)s (%(date)s)", {
          version: entry.version, points: fmtPoints(entry.total), max: fmtPoints(ctx.maxScore),
          date: fmtDate(entry.created_at)})})]);
    }
    var who = staff && entry.username ? t("%(from)s (%(username)s)", {from: entry.from, username: entry.username}) : entry.from;
    var head = el("p", {"class": "cc-entry-head"}, [
      el("span", {"class": "cc-entry-from", text: who}), " ",
      el("span", {"class": "cc-note", text: t("(%(date)s)", {date: fmtDate(entry.created_at)})})]);
    var body = [head];
    if (entry.kind === "thanks" || entry.kind === "complaint") {
      body.push(el("p", {"class": "cc-entry-rating", text: entry.text}));
      if (entry.note) { body.push(el("p", {"class": "cc-comment", text: entry.note})); }
      var status = {pending: t("Waiting for course staff."), upheld: t("Course staff upheld this complaint."),
                    rejected: t("Course staff rejected this complaint.")}[entry.status];
      if (entry.kind === "complaint" && status) { body.push(el("p", {"class": "cc-entry-status cc-note", text: status})); }
      if (entry.outcome) { body.push(el("p", {"class": "cc-entry-outcome cc-comment", text: entry.outcome})); }
    } else {
      if (entry.phrase) { body.push(el("p", {"class": "cc-entry-phrase", text: entry.phrase.text})); }
      if (entry.removed) {
        body.push(el("p", {"class": "cc-note cc-entry-removed", text: t("(This message was removed.)")}));
      } else if (entry.text) {
        body.push(el("p", {"class": "cc-comment cc-entry-text", text: entry.text}));
      }
    }
    return el("li", {"class": "cc-entry cc-entry-" + entry.kind + (entry.mine ? " cc-entry-mine" : "")}, body);
  }

  function timeline(answer, staff, ctx) {
    if (!answer.messages.length) {
      return el("p", {"class": "cc-note cc-empty", text: t("No messages yet.")});
    }
    return el("ol", {"class": "cc-timeline", "aria-label": t("Messages and review versions")},
              answer.messages.map(function (entry) { return entryNode(entry, staff, ctx); }));
  }

  // ------------------------------------------------------------------ the form

  /* ctx: {call, items (the checklist's items), readOnly, staff}; onAnswer(answer) after a post. */
  function postForm(answer, ctx, onAnswer) {
    var id = answer.thread;
    var textId = CrossCheckCommon.uniqueId("cc-thread-text");
    var errorId = CrossCheckCommon.uniqueId("cc-thread-error");
    var text = el("textarea", {"class": "cc-thread-text", id: textId, rows: "4", maxlength: String(MAX_LENGTH),
                               "aria-describedby": errorId,
                               oninput: function () { typed[id] = text.value; }});
    text.value = typed[id] || "";
    var error = el("p", {"class": "cc-thread-error", id: errorId, role: "alert", "aria-live": "assertive"});
    var phrase = null, itemsBox = null, boxes = [];
    var children = [];
    if (answer.phrases && answer.phrases.length) {
      var selectId = CrossCheckCommon.uniqueId("cc-thread-phrase");
      phrase = el("select", {"class": "cc-thread-phrase", id: selectId, onchange: function () {
        itemsBox.hidden = !phrase.value;
      }}, [el("option", {value: "", text: t("No prepared phrase")})].concat(answer.phrases.map(function (option) {
        return el("option", {value: option.id, text: option.text});
      })));
      boxes = scored(ctx.items).map(function (item) {
        return el("label", {"class": "cc-thread-item"}, [
          el("input", {type: "checkbox", value: item.id, name: "cc-thread-item"}), " ", el("span", {html: item.html})]);
      });
      itemsBox = el("fieldset", {"class": "cc-thread-items", hidden: true},
                    [el("legend", {text: t("Items the phrase names")})].concat(boxes));
      children.push(el("label", {"class": "cc-block-label", "for": selectId, text: t("Prepared phrase (optional)")}),
                    phrase, itemsBox);
    }
    var send = el("button", {type: "submit", "class": "cc-thread-send", text: t("Send")});
    children.push(el("label", {"class": "cc-block-label", "for": textId,
                               text: ctx.staff ? t("Your message (posted as course staff)") : t("Your message")}),
                  text, error, el("div", {"class": "cc-form-actions"}, [send]));
    return el("form", {"class": "cc-thread-form", novalidate: true, onsubmit: function (event) {
      event.preventDefault();
      error.textContent = "";
      var chosen = null;
      if (phrase && phrase.value) {
        var items = boxes.map(function (label) { return label.querySelector("input"); })
          .filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
        if (!items.length) {
          error.textContent = t("Tick the checklist items the phrase names.");
          boxes[0].querySelector("input").focus();
          return;
        }
        chosen = {id: phrase.value, items: items};
      }
      if (!chosen && !text.value.trim()) {
        error.textContent = t("Write a message, or choose a prepared phrase.");
        text.focus();
        return;
      }
      send.disabled = true;
      ctx.call("post_message", {thread: id, text: text.value, phrase: chosen}).then(function (fresh) {
        typed[id] = "";
        onAnswer(fresh, true);
      }).catch(function (err) {
        send.disabled = false;
        error.textContent = err.message;  // the typed text stays
        text.focus();
      });
    }}, children);
  }

  /** The thread's content: the notice, the timeline and the form (or why there is none). */
  function threadBody(answer, ctx, onAnswer) {
    var staff = !!ctx.staff;
    var parts = [el("p", {"class": "cc-thread-notice cc-note", role: "note", text: answer.notice}),
                 timeline(answer, staff, ctx)];
    if (ctx.extra) { ctx.extra(answer, parts, onAnswer); }
    if (ctx.readOnly) {
      parts.push(el("p", {"class": "cc-note", text: t("Viewing as a learner: you can read this conversation but not post.")}));
    } else if (answer.can_post) {
      parts.push(postForm(answer, ctx, onAnswer));
    } else {
      parts.push(el("p", {"class": "cc-note cc-thread-closed", text: t("This conversation no longer takes posts; you can still read it.")}));
    }
    return parts;
  }

  // ------------------------------------------------------------------ learner: the disclosure

  /* A "Conversation" button opening the thread below it. `summary`: the state's
   * {id, unread, can_post}; ctx: {call, items, maxScore, readOnly, label (the other side, for the
   * region's name), onRead(summary) (the thread was read: unread is 0 now), showError, extra}. */
  function disclosure(summary, ctx) {
    var id = summary.id;
    var regionId = CrossCheckCommon.uniqueId("cc-thread");
    var region = el("div", {"class": "cc-thread", id: regionId, role: "region",
                            "aria-label": t("Conversation with %(other)s", {other: ctx.label}), hidden: true});
    var toggle = el("button", {type: "button", "class": "cc-thread-toggle" + (summary.unread ? " cc-unread" : ""),
                               "aria-expanded": "false", "aria-controls": regionId, "data-thread": id,
                               text: toggleLabel(summary.unread), onclick: function () {
      if (!region.hidden) { close(); return; }
      load(true);
    }});
    var wrap = el("div", {"class": "cc-thread-wrap", "data-thread": id}, [toggle, region]);

    function show(answer, focusForm) {
      opened[id] = answer;
      region.textContent = "";
      threadBody(answer, ctx, function (fresh, posted) { show(fresh, posted); if (ctx.announce && posted) { ctx.announce(t("Your message is sent.")); } })
        .forEach(function (node) { region.appendChild(node); });
      region.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      if (summary.unread) {
        summary.unread = 0;
        toggle.classList.remove("cc-unread");
        if (ctx.onRead) { ctx.onRead(summary); }
      }
      toggle.textContent = toggleLabel(0);
      if (focusForm) {
        var box = region.querySelector(".cc-thread-text");
        if (box) { box.focus(); }
      }
    }
    function close() {
      delete opened[id];
      region.hidden = true;
      region.textContent = "";
      toggle.setAttribute("aria-expanded", "false");
    }
    function load(announceLoad) {  // opened by the learner: fetched, and so marked read
      region.hidden = false;
      region.setAttribute("aria-busy", "true");
      region.textContent = "";
      region.appendChild(el("p", {"class": "cc-note", text: t("Loading…")}));
      toggle.setAttribute("aria-expanded", "true");
      ctx.call("get_thread", {thread: id}).then(function (answer) {
        region.removeAttribute("aria-busy");
        show(answer, false);
        if (announceLoad && ctx.announce) {
          ctx.announce(nt("%(n)s entry in the conversation.", "%(n)s entries in the conversation.", answer.messages.length));
        }
      }).catch(function (err) {
        region.removeAttribute("aria-busy");
        region.textContent = "";
        region.appendChild(el("p", {"class": "cc-thread-error", role: "alert", text: err.message}));
      });
    }
    // Open before the page was re-rendered: open again (fetched afresh: new posts may be in).
    if (opened[id]) {
      show(opened[id], false);
      ctx.call("get_thread", {thread: id}).then(function (answer) {
        if (opened[id] && !region.contains(document.activeElement)) { show(answer, false); }
      }).catch(function () { return null; });
    }
    return wrap;
  }

  // ------------------------------------------------------------------ staff: the Conversations tab

  /* ctx: {call, items, maxScore, showError, announce, onUnread(total)}. */
  function renderStaff(container, data, ctx) {
    container.textContent = "";
    var total = data.threads.reduce(function (sum, row) { return sum + row.unread; }, 0);
    container.appendChild(el("h3", {text: t("Conversations")}));
    container.appendChild(el("p", {"class": "cc-note", text: t("Every conversation between an author and a reviewer of this task. Learners see each other only as “Work N” and “Reviewer N”; you see their usernames. Your posts appear as “Course staff”.")}));
    var unreadNote = el("p", {"class": "cc-note cc-threads-unread"});
    function showUnread() {
      unreadNote.textContent = total
        ? nt("%(n)s message from learners is unread by course staff.", "%(n)s messages from learners are unread by course staff.", total)
        : t("No unread messages.");
      if (ctx.onUnread) { ctx.onUnread(total); }
    }
    showUnread();
    container.appendChild(unreadNote);
    var detail = el("div", {"class": "cc-staff-thread", role: "region", tabindex: "-1",
                            "aria-label": t("The conversation opened"), hidden: true});
    if (!data.threads.length) {
      container.appendChild(el("p", {"class": "cc-note cc-empty", text: t("No conversation is open yet: each opens when its review is first submitted.")}));
      return;
    }
    var buttons = {};
    function openThread(row) {
      ctx.showError("");
      ctx.call("get_thread", {thread: row.thread}).then(function (answer) {
        showThread(row, answer, true);
      }).catch(function (err) { ctx.showError(err.message); });
    }
    function showThread(row, answer, focus) {
      if (row.unread) {
        total -= row.unread;
        row.unread = 0;
        var cell = container.querySelector('tr[data-thread="' + row.thread + '"] .cc-thread-unread');
        if (cell) { cell.textContent = "0"; }
        showUnread();
      }
      Object.keys(buttons).forEach(function (key) { buttons[key].removeAttribute("aria-current"); });
      if (buttons[row.thread]) { buttons[row.thread].setAttribute("aria-current", "true"); }
      detail.textContent = "";
      detail.hidden = false;
      detail.appendChild(el("h4", {text: t("%(work)s (%(author)s) and %(reviewer)s (%(username)s)", {
        work: answer.work_title, author: answer.author, reviewer: answer.reviewer_title, username: answer.reviewer})}));
      var threadCtx = Object.assign({}, ctx, {staff: true});
      threadBody(answer, threadCtx, function (fresh, posted) {
        showThread(row, fresh, false);
        row.messages = fresh.messages.filter(function (entry) { return entry.kind !== "review_version"; }).length;
        var count = container.querySelector('tr[data-thread="' + row.thread + '"] .cc-thread-count');
        if (count) { count.textContent = String(row.messages); }
        if (posted && ctx.announce) { ctx.announce(t("Your message is sent.")); }
        var box = detail.querySelector(".cc-thread-text");
        if (box) { box.focus(); }
      }).forEach(function (node) { detail.appendChild(node); });
      if (focus) { detail.focus(); }
    }
    var columns = [
      {label: t("Work"), value: function (row) { return row.work_title; },
       cell: function (row) { return t("%(title)s (%(username)s)", {title: row.work_title, username: row.author}); }},
      {label: t("Reviewer"), value: function (row) { return row.reviewer_title; },
       cell: function (row) { return t("%(title)s (%(username)s)", {title: row.reviewer_title, username: row.reviewer}); }},
      {label: t("Messages"), value: function (row) { return row.messages; }, className: "cc-thread-count",
       cell: function (row) { return String(row.messages); }},
      {label: t("Unread"), value: function (row) { return row.unread; }, className: "cc-thread-unread",
       cell: function (row) { return String(row.unread); }},
      {label: t("Last post"), value: function (row) { return row.last_post_at; },
       cell: function (row) { return row.last_post_at ? fmtDate(row.last_post_at) : "–"; }},
      {label: t("Conversation"), cell: function (row) {
        buttons[row.thread] = el("button", {type: "button", "class": "cc-thread-open", "data-thread": row.thread,
          text: t("Open"), "aria-label": t("Open the conversation of %(author)s and %(reviewer)s",
                                              {author: row.author, reviewer: row.reviewer}),
          onclick: function () { openThread(row); }});
        return buttons[row.thread];
      }}
    ];
    container.appendChild(CrossCheckCommon.dataTable(columns, data.threads, {
      tableClass: "cc-staff-table cc-threads-table", caption: t("Conversations about reviews"),
      filter: function (row) { return [row.author, row.reviewer, row.work_title, row.reviewer_title].join(" "); },
      filterLabel: t("Filter by learner"),
      rowAttrs: function (row) { return {"data-thread": row.thread}; }}));
    container.appendChild(detail);
    container.openThread = function (token) {
      var row = data.threads.filter(function (r) { return r.thread === token; })[0];
      if (row) { openThread(row); }
    };
  }

  return {disclosure: disclosure, renderStaff: renderStaff, unreadText: unreadText, threadBody: threadBody,
          scored: scored, opened: opened};
})();
