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

  /** {item id: its text (the sanitized html read as text)} of the scored items. */
  function itemNames(items) {
    var names = {};
    scored(items).forEach(function (item) { names[item.id] = CrossCheckCommon.plainText(item.html); });
    return names;
  }

  /** What a thanks is for, in words: "the overall comment", "the comment on ‘Header’". */
  function targetText(target, names) {
    return target === "comment" ? t("the overall comment")
      : t("the comment on ‘%(item)s’", {item: names[target] || target});
  }

  function itemList(ids, names) {
    return ids.map(function (id) { return t("‘%(item)s’", {item: names[id] || id}); }).join(", ");
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
      // The server's standard sentence names the comment or the items; the version it was about.
      body.push(el("p", {"class": "cc-entry-rating"}, [
        el("strong", {text: entry.kind === "thanks" ? t("Thanks:") : t("Complaint:")}), " ", entry.text, " ",
        el("span", {"class": "cc-note", text: t("(review version %(version)s)", {version: entry.version})})]));
      if (entry.note) { body.push(el("p", {"class": "cc-comment cc-entry-note", text: entry.note})); }
      if (entry.outcome) {
        body.push(el("p", {"class": "cc-entry-outcome cc-entry-" + entry.status, text: entry.outcome}));
      }
      if (entry.staff_comment) {
        body.push(el("p", {"class": "cc-comment cc-entry-staff-comment"}, [
          el("span", {"class": "cc-entry-from", text: t("Course staff:")}), " ", entry.staff_comment]));
      }
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

  // ------------------------------------------------------------------ thanks and complaints (the author's)

  var MAX_NOTE = 2000;

  function noteField(label, className) {
    var id = CrossCheckCommon.uniqueId("cc-rate-note");
    var area = el("textarea", {"class": "cc-rate-note " + className, id: id, rows: "2", maxlength: String(MAX_NOTE)});
    return {area: area, nodes: [el("label", {"class": "cc-block-label", "for": id, text: label}), area]};
  }

  /* The author's thanks for one comment of the review's latest version, and their complaint about
   * its deductions; `answer.rate` says what is possible and, when not, why. ctx.comments: the
   * review's latest comments from the state ({comment, item_comments}), shown beside each button. */
  function rateSection(answer, ctx, onAnswer) {
    var rate = answer.rate, names = itemNames(ctx.items);
    var errorId = CrossCheckCommon.uniqueId("cc-rate-error");
    var error = el("p", {"class": "cc-rate-error", id: errorId, role: "alert", "aria-live": "assertive"});
    var section = el("div", {"class": "cc-rate", role: "group", "aria-label": t("Thanks and complaints")});

    function send(body, button) {
      error.textContent = "";
      button.disabled = true;
      return ctx.call("rate_review", Object.assign({thread: answer.thread}, body)).then(function (fresh) {
        onAnswer(fresh, false);
        if (ctx.onRated) { ctx.onRated(body.kind); }
      }).catch(function (err) {
        button.disabled = false;
        error.textContent = err.message;
      });
    }

    // Thanks: one button beside each comment of the latest version.
    section.appendChild(el("h5", {text: t("Thank the reviewer for a comment")}));
    section.appendChild(el("p", {"class": "cc-note", text: t("Thanks are for a comment that helped you, not for the points: a kind word for a useful explanation. You can thank once per version of the review.")}));
    var comments = ctx.comments || {};
    if (rate.thanks && rate.comments.length) {
      var thanksNote = noteField(t("A few words with your thanks (optional)"), "cc-thanks-note");
      var targets = el("ul", {"class": "cc-rate-targets"}, rate.comments.map(function (target) {
        var text = target === "comment" ? comments.comment : (comments.item_comments || {})[target];
        var button = el("button", {type: "button", "class": "cc-thanks-send", "data-for": target,
          text: t("Thank for this comment"), "aria-label": t("Thank for %(target)s", {target: targetText(target, names)}),
          "aria-describedby": errorId,
          onclick: function () { send({kind: "thanks", "for": target, note: thanksNote.area.value}, button); }});
        return el("li", {"class": "cc-rate-target", "data-for": target}, [
          el("span", {"class": "cc-rate-target-name", text: target === "comment" ? t("Overall comment:") : t("On ‘%(item)s’:", {item: names[target] || target})}), " ",
          text ? el("q", {"class": "cc-comment", text: text}) : null, " ", button]);
      }));
      thanksNote.nodes.forEach(function (node) { section.appendChild(node); });
      section.appendChild(targets);
    } else {
      section.appendChild(el("p", {"class": "cc-note cc-rate-why cc-thanks-why", text: rate.why_not.thanks || t("This review has no comment to thank for.")}));
    }

    // Complaint: the deducted items it names, and why.
    section.appendChild(el("h5", {text: t("Complain about this review")}));
    section.appendChild(el("p", {"class": "cc-note", text: t("A complaint is not an appeal of your grade: course staff check whether the points for the items you name were taken without reason. Upheld, the reviewer is warned; rejected as unfounded, you are warned. Your grade does not change: to have it re-checked, appeal in the “Grade and appeal” tab.")}));
    if (rate.complaint && rate.deducted.length) {
      var boxes = rate.deducted.map(function (id) {
        var item = scored(ctx.items).filter(function (candidate) { return candidate.id === id; })[0];
        return el("label", {"class": "cc-rate-item"}, [
          el("input", {type: "checkbox", value: id, name: "cc-complaint-item"}), " ",
          item ? el("span", {html: item.html}) : el("span", {text: id})]);
      });
      var complaintNote = noteField(t("Why the deductions are unjustified (optional)"), "cc-complaint-note");
      var complain = el("button", {type: "submit", "class": "cc-complaint-send", text: t("Send complaint"),
                                   "aria-describedby": errorId});
      section.appendChild(el("form", {"class": "cc-complaint-form", novalidate: true, onsubmit: function (event) {
        event.preventDefault();
        var items = boxes.map(function (label) { return label.querySelector("input"); })
          .filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
        if (!items.length) {
          error.textContent = t("Tick the items whose points were taken without reason.");
          boxes[0].querySelector("input").focus();
          return;
        }
        send({kind: "complaint", items: items, note: complaintNote.area.value}, complain);
      }}, [el("fieldset", {"class": "cc-rate-items"}, [el("legend", {text: t("Items whose deduction is unjustified")})].concat(boxes))]
        .concat(complaintNote.nodes, [el("div", {"class": "cc-form-actions"}, [complain])])));
    } else {
      section.appendChild(el("p", {"class": "cc-note cc-rate-why cc-complaint-why", text: rate.why_not.complaint || t("No item lost points in this review.")}));
    }
    section.appendChild(error);
    return section;
  }

  /** The thread's content: the notice, the timeline and the form (or why there is none). */
  function threadBody(answer, ctx, onAnswer) {
    var staff = !!ctx.staff;
    var parts = [el("p", {"class": "cc-thread-notice cc-note", role: "note", text: answer.notice}),
                 timeline(answer, staff, ctx)];
    if (ctx.readOnly) {
      parts.push(el("p", {"class": "cc-note", text: t("Viewing as a learner: you can read this conversation but not post.")}));
    } else if (answer.can_post) {
      parts.push(postForm(answer, ctx, onAnswer));
    } else {
      parts.push(el("p", {"class": "cc-note cc-thread-closed", text: t("This conversation no longer takes posts; you can still read it.")}));
    }
    // The author's thanks and complaint come after the message form: writing is the common case.
    if (answer.rate && !ctx.readOnly) { parts.push(rateSection(answer, ctx, onAnswer)); }
    return parts;
  }

  // ------------------------------------------------------------------ learner: the disclosure

  /* A "Conversation" button opening the thread below it. `summary`: the state's
   * {id, unread, can_post}; ctx: {call, items, maxScore, readOnly, label (the other side, for the
   * region's name), onRead(summary) (the thread was read: unread is 0 now), showError, extra}. */
  function disclosure(summary, ctx) {
    var id = summary.id;
    var regionId = CrossCheckCommon.uniqueId("cc-thread");
    var region = el("div", {"class": "cc-thread", id: regionId, role: "region", tabindex: "-1",
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
    function load(announceLoad, then) {  // opened by the learner: fetched, and so marked read
      region.hidden = false;
      region.setAttribute("aria-busy", "true");
      region.textContent = "";
      region.appendChild(el("p", {"class": "cc-note", text: t("Loading…")}));
      toggle.setAttribute("aria-expanded", "true");
      ctx.call("get_thread", {thread: id}).then(function (answer) {
        region.removeAttribute("aria-busy");
        show(answer, false);
        if (then) { then(); }
        if (announceLoad && ctx.announce) {
          ctx.announce(nt("%(n)s entry in the conversation.", "%(n)s entries in the conversation.", answer.messages.length));
        }
      }).catch(function (err) {
        region.removeAttribute("aria-busy");
        region.textContent = "";
        region.appendChild(el("p", {"class": "cc-thread-error", role: "alert", text: err.message}));
      });
    }
    /** Open the thread (if closed) and put the focus on the thanks button for `target`. */
    wrap.thankFor = function (target) {
      function focus() {
        var button = region.querySelector('.cc-thanks-send[data-for="' + target + '"]') || region.querySelector(".cc-rate");
        if (button) { button.focus(); }
      }
      if (region.hidden || !opened[id]) { load(false, focus); } else { focus(); }
    };
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

  /** What was rated on a review, for its block on the page (state's `ratings`): one line each. */
  function ratingsList(ratings, items, mine) {
    if (!ratings || !ratings.length) { return null; }
    var names = itemNames(items);
    return el("ul", {"class": "cc-rated-list"}, ratings.map(function (rating) {
      var values = {target: targetText(rating["for"], names), items: itemList(rating.items || [], names),
                    date: fmtDate(rating.created_at)};
      var text;
      if (rating.kind === "thanks") {
        text = mine ? t("You thanked the reviewer for %(target)s (%(date)s).", values)
                    : t("The author thanked you for %(target)s (%(date)s).", values);
      } else {
        var status = {pending: t("waiting for course staff"), upheld: t("upheld by course staff"),
                      rejected: t("rejected by course staff")}[rating.status] || rating.status;
        values.status = status;
        text = mine ? t("You complained about the points for %(items)s (%(date)s): %(status)s.", values)
                    : t("The author complained about your points for %(items)s (%(date)s): %(status)s.", values);
      }
      return el("li", {"class": "cc-rated cc-rated-" + rating.kind + " cc-rated-" + rating.status, text: text});
    }));
  }

  return {disclosure: disclosure, renderStaff: renderStaff, unreadText: unreadText, threadBody: threadBody,
          scored: scored, opened: opened, ratingsList: ratingsList};
})();
