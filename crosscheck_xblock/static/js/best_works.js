/* Best works (issue 12, B1–B4) for crosscheck.js: the staff page and what learners see.
 *
 * Staff: every work marked best by a reviewer or added by hand, with checkboxes to select some,
 * all or none, and actions on the selection (thank the authors, export, remove, restore, show in
 * the gallery); adding a work by hand; the log of changes; opening the vote among the top
 * reviewers and its results. Learners: the thanks for their work, how many reviewers marked it,
 * the gallery, and the ballot when they may vote. Text written by learners and staff is set with
 * textContent only.
 */
var CrossCheckBestWorks = (function () {
  "use strict";  // i18n: code

  var el = CrossCheckCommon.el, t = CrossCheckCommon.t, nt = CrossCheckCommon.nt;
  var fmtDate = CrossCheckCommon.fmtDate, fmtPoints = CrossCheckCommon.fmtPoints;
  var uniqueId = CrossCheckCommon.uniqueId;

  function link(url) {
    return el("a", {href: url, target: "_blank", rel: "noopener noreferrer", text: url});  // i18n: code
  }

  var ACTIONS = {
    add: t("added by hand"), remove: t("removed"), restore: t("restored"), thank: t("author thanked"),
    gallery_add: t("shown in the gallery"), gallery_remove: t("taken out of the gallery"),
    withdraw: t("withdrawn from the gallery by the author")
  };

  function statusText(row) {
    var parts = [];
    if (row.removed) { parts.push(t("removed")); }
    if (row.added_by_staff) { parts.push(t("added by staff")); }
    if (row.thanked) { parts.push(t("author thanked")); }
    if (row.in_gallery && !row.withdrawn) { parts.push(t("in the gallery")); }
    if (row.withdrawn) { parts.push(t("withdrawn by the author")); }
    return parts.join(", ");
  }

  // ------------------------------------------------------------------ staff

  /** The staff page into `target` from `staff_best_works`' answer, with `message` (what the last
   * action did) in its status line. ctx: {call, announce, showError, exportUrl, onChange(data)}. */
  function renderStaff(target, data, ctx, message) {
    target.textContent = "";
    var selected = {};
    var status = el("p", {"class": "cc-selection-count", role: "status"});
    var result = el("p", {"class": "cc-result", role: "status", "aria-live": "polite", text: message || ""});
    var error = el("p", {"class": "cc-best-error", role: "alert"});

    function ids() {
      return data.works.filter(function (row) { return selected[row.work_id]; })
        .map(function (row) { return row.work_id; });
    }
    function showCount() {
      var n = ids().length;
      status.textContent = nt("%(n)s work selected", "%(n)s works selected", n);
      actionButtons.forEach(function (button) { button.disabled = !n; });
      exportSelected.hidden = !n;
      if (n) {
        exportSelected.href = ctx.exportUrl + "&work_ids=" + ids().join(",");
      }
    }
    function refresh(answer, said) {
      data = answer;
      if (ctx.onChange) { ctx.onChange(answer); }
      renderStaff(target, answer, ctx, said);
    }
    function fail(err) { error.textContent = err.message; }
    function edit(key) {
      var body = {};
      body[key] = ids();
      error.textContent = "";
      ctx.call("staff_best_works_edit", body).then(function (answer) {
        refresh(answer);
        ctx.announce(t("The best works page is updated."));
      }).catch(fail);
    }

    target.appendChild(el("h3", {text: t("Best works")}));
    target.appendChild(el("p", {"class": "cc-note", text: t("Every work a reviewer marked as best, most marks first, then by grade; and the works you added by hand. Removed works stay listed and can be restored; every change is recorded.")}));

    var checkboxes = [];
    var columns = [
      {label: t("Select"), cell: function (row) {
        var box = el("input", {type: "checkbox", "class": "cc-best-select", "data-work": String(row.work_id),
                               "aria-label": t("Select the work of %(learner)s", {learner: row.learner}),
                               onchange: function () { selected[row.work_id] = box.checked; showCount(); }});
        checkboxes.push(box);
        return box;
      }},
      {label: t("Learner"), value: function (row) { return row.learner; }, cell: function (row) { return row.learner; },
       rowHeader: true},
      {label: t("Link"), cell: function (row) { return link(row.url); }},
      {label: t("Marks"), value: function (row) { return row.marks; }, cell: function (row) { return String(row.marks); }},
      {label: t("Grade"), value: function (row) { return row.grade; },
       cell: function (row) { return row.grade === null ? t("not graded yet") : fmtPoints(row.grade); }},
      {label: t("Status"), value: statusText, cell: statusText},
      {label: t("Why reviewers chose it"), cell: function (row) {
        if (!row.explanations.length) { return t("no comment"); }
        return el("ul", {"class": "cc-explanations"}, row.explanations.map(function (text) {
          return el("li", {text: text});
        }));
      }}
    ];
    if (!data.works.length) {
      target.appendChild(el("p", {text: t("No work has been marked as best yet.")}));
    } else {
      target.appendChild(CrossCheckCommon.dataTable(columns, data.works, {
        tableClass: "cc-staff-table cc-best-table", caption: t("Best works"),
        filter: function (row) { return row.learner + " " + row.url; },
        rowAttrs: function (row) { return {"data-work": String(row.work_id), "class": row.removed ? "cc-removed" : null}; }
      }));
    }
    var all = el("button", {type: "button", "class": "cc-link", text: t("Select all"), onclick: function () {
      checkboxes.forEach(function (box) { box.checked = true; selected[Number(box.getAttribute("data-work"))] = true; });
      showCount();
    }});
    var none = el("button", {type: "button", "class": "cc-link", text: t("Select none"), onclick: function () {
      checkboxes.forEach(function (box) { box.checked = false; });
      selected = {};
      showCount();
    }});
    var noteId = uniqueId("cc-thanks-note");
    var note = el("textarea", {id: noteId, rows: "2", maxlength: "2000", "class": "cc-thanks-note"});
    var thank = el("button", {type: "button", "class": "cc-button cc-best-thank", text: t("Thank the authors"), onclick: function () {
      error.textContent = "";
      var said = "";
      ctx.call("staff_best_works_thank", {work_ids: ids(), note: note.value}).then(function (answer) {
        said = answer.already
          ? nt("%(n)s author thanked; %(already)s already were.", "%(n)s authors thanked; %(already)s already were.",
               answer.thanked, {already: answer.already})
          : nt("%(n)s author thanked.", "%(n)s authors thanked.", answer.thanked);
        return ctx.call("staff_best_works");
      }).then(function (answer) { refresh(answer, said); }).catch(fail);
    }});
    var buttons = [
      thank,
      el("button", {type: "button", "class": "cc-button", text: t("Remove"), onclick: function () { edit("remove"); }}),
      el("button", {type: "button", "class": "cc-button", text: t("Restore"), onclick: function () { edit("restore"); }}),
      el("button", {type: "button", "class": "cc-button", text: t("Show in the gallery"), onclick: function () { edit("gallery_add"); }}),
      el("button", {type: "button", "class": "cc-button", text: t("Take out of the gallery"), onclick: function () { edit("gallery_remove"); }})
    ];
    var actionButtons = buttons;
    var exportSelected = el("a", {"class": "cc-link cc-best-export-selected", href: "#", text: t("Download the selection (CSV)")});
    target.appendChild(el("div", {"class": "cc-best-actions", role: "group", "aria-label": t("Act on the selected works")}, [
      el("p", {}, [all, " ", none, " ", status]),
      el("label", {"for": noteId, text: t("A note to the authors with the thanks (optional)")}), note,
      el("p", {"class": "cc-note", text: t("Each author is thanked once: their page says that the work was chosen as one of the best works, with your note.")}),
      el("p", {}, buttons.reduce(function (list, button) { list.push(button, " "); return list; }, [])),
      el("p", {}, [el("a", {"class": "cc-link cc-best-export", href: ctx.exportUrl, text: t("Download all (CSV)")}), " ", exportSelected]),
      result, error
    ]));
    showCount();

    if (data.others.length) {
      var pickId = uniqueId("cc-best-add");
      var pick = el("select", {id: pickId}, data.others.map(function (row) {
        return el("option", {value: String(row.work_id), text: row.learner + " — " + row.url});
      }));
      target.appendChild(el("div", {"class": "cc-best-add"}, [
        el("h4", {text: t("Add a work by hand")}),
        el("label", {"for": pickId, text: t("Work")}), " ", pick, " ",
        el("button", {type: "button", "class": "cc-button", text: t("Add"), onclick: function () {
          error.textContent = "";
          ctx.call("staff_best_works_edit", {add: [Number(pick.value)]}).then(function (answer) {
            refresh(answer);
            ctx.announce(t("The work is added to the best works."));
          }).catch(fail);
        }})
      ]));
    }
    target.appendChild(voteSection(data, ctx, refresh));
    if (data.changes.length) {
      target.appendChild(el("details", {"class": "cc-best-log"}, [
        el("summary", {text: t("Changes (newest first)")}),
        el("ul", {}, data.changes.map(function (change) {
          var who = change.by || t("the author");
          return el("li", {text: t("%(date)s: %(learner)s — %(action)s by %(by)s", {
            date: fmtDate(change.at), learner: change.learner, action: ACTIONS[change.action] || change.action,
            by: who})});
        }))]));
    }
  }

  function voteSection(data, ctx, refresh) {
    var section = el("div", {"class": "cc-best-vote"}, [el("h4", {text: t("Vote among the top reviewers")})]);
    var vote = data.vote;
    if (vote) {
      section.appendChild(el("p", {text: vote.open
        ? t("The vote is open until %(date)s; %(voted)s of %(voters)s voters have voted.", {date: fmtDate(vote.closes_at), voted: vote.voted, voters: vote.voters})
        : t("The vote closed on %(date)s; %(voted)s of %(voters)s voters voted.", {date: fmtDate(vote.closes_at), voted: vote.voted, voters: vote.voters})}));
      section.appendChild(CrossCheckCommon.dataTable([
        {label: t("Learner"), value: function (row) { return row.learner; }, cell: function (row) { return row.learner; }, rowHeader: true},
        {label: t("Link"), cell: function (row) { return link(row.url); }},
        {label: t("Votes"), value: function (row) { return row.votes; }, cell: function (row) { return String(row.votes); }}
      ], vote.results, {tableClass: "cc-staff-table cc-vote-results", caption: t("Results, most votes first")}));
      return section;
    }
    var closesId = uniqueId("cc-vote-closes"), votesId = uniqueId("cc-vote-n"), sizeId = uniqueId("cc-vote-size");
    var closes = el("input", {type: "datetime-local", id: closesId, required: "required"});
    var votes = el("input", {type: "number", id: votesId, min: "1", max: "20", value: "3"});
    var size = el("input", {type: "number", id: sizeId, min: "1", value: "10"});
    var byTop = el("input", {type: "radio", name: uniqueId("cc-vote-by"), value: "top", checked: "checked"});
    var byPercent = el("input", {type: "radio", name: byTop.name, value: "top_percent"});
    var error = el("p", {"class": "cc-best-error", role: "alert"});
    section.appendChild(el("p", {"class": "cc-note", text: t("After the cross-check end, the course's best reviewers by the reviewer rating can vote on the works above; authors cannot vote for their own work.")}));
    section.appendChild(el("div", {"class": "cc-vote-form"}, [
      el("p", {}, [el("label", {"for": closesId, text: t("Closes at")}), " ", closes]),
      el("p", {}, [el("label", {"for": votesId, text: t("Votes per voter")}), " ", votes]),
      el("fieldset", {}, [el("legend", {text: t("Who may vote")}),
        el("label", {}, [byTop, " ", t("the top reviewers, this many:")]), " ",
        el("label", {}, [byPercent, " ", t("the top percent of reviewers:")]), " ",
        el("label", {"for": sizeId, "class": "cc-visually-hidden", text: t("How many (or which percent)")}), size]),
      el("button", {type: "button", "class": "cc-button cc-vote-open", text: t("Open the vote"), onclick: function () {
        error.textContent = "";
        var when = closes.value ? new Date(closes.value) : null;
        var eligible = {};
        eligible[byPercent.checked ? "top_percent" : "top"] = Number(size.value);
        ctx.call("staff_open_vote", {closes_at: when && !isNaN(when) ? when.toISOString() : "",
                                     votes_per_voter: Number(votes.value), eligible: eligible})
          .then(function (answer) { refresh(answer); ctx.announce(t("The vote is open.")); })
          .catch(function (err) { error.textContent = err.message; });
      }}),
      error]));
    return section;
  }

  // ------------------------------------------------------------------ learners

  /** What the learner sees about best works (null when nothing): the thanks for their own work,
   * the marks count, the gallery and the ballot. ctx: {call, readOnly, onState(state), announce}. */
  function learnerPart(state, ctx) {
    var news = state.best_work, gallery = state.gallery, vote = state.vote;
    if (!news && !gallery && !(vote && vote.eligible)) { return null; }
    var box = el("div", {"class": "cc-best-learner"}, [el("h3", {text: t("Best works")})]);
    if (news) {
      if (news.thanked) {
        box.appendChild(el("p", {"class": "cc-best-thanks", text: news.text}));
        if (news.note) { box.appendChild(el("p", {"class": "cc-comment", text: news.note})); }
      }
      if (news.marks) {
        box.appendChild(el("p", {text: nt("%(n)s reviewer marked your work as one of the best.",
                                         "%(n)s reviewers marked your work as one of the best.", news.marks)}));
      }
      if (news.in_gallery) {
        box.appendChild(el("p", {}, [t("Your work is shown in the gallery of best works."), " ",
          news.can_withdraw && !ctx.readOnly ? el("button", {type: "button", "class": "cc-link", text: t("Take my work out of the gallery"),
            onclick: function () {
              ctx.call("withdraw_from_gallery").then(function (fresh) {
                ctx.announce(t("Your work is no longer in the gallery."));
                ctx.onState(fresh);
              }).catch(function (err) { ctx.announce(err.message); });
            }}) : null]));
      }
    }
    if (gallery) {
      box.appendChild(el("h4", {text: t("Gallery of best works")}));
      box.appendChild(el("ul", {"class": "cc-gallery"}, gallery.map(function (item) {
        return el("li", {}, [item.title + ": ", link(item.url)]);
      })));
    }
    if (vote && vote.eligible) { box.appendChild(ballot(vote, ctx)); }
    return box;
  }

  function ballot(vote, ctx) {
    var wrap = el("div", {"class": "cc-ballot"}, [el("h4", {text: t("Vote on the best works")})]);
    if (vote.results) {
      wrap.appendChild(el("p", {text: t("The vote closed on %(date)s. Results:", {date: fmtDate(vote.closes_at)})}));
      wrap.appendChild(el("ol", {}, vote.results.map(function (row) {
        return el("li", {text: nt("%(title)s: %(n)s vote", "%(title)s: %(n)s votes", row.votes, {title: row.title})});
      })));
      return wrap;
    }
    var mine = {};
    vote.my_votes.forEach(function (id) { mine[id] = true; });
    var error = el("p", {"class": "cc-best-error", role: "alert"});
    var boxes = vote.works.map(function (work) {
      var box = el("input", {type: "checkbox", value: String(work.id), disabled: work.own || ctx.readOnly || !vote.open ? "disabled" : null});
      box.checked = !!mine[work.id];
      return el("li", {}, [el("label", {}, [box, " ", work.title + " "]), link(work.url),
                           work.own ? el("span", {"class": "cc-note", text: " " + t("(your work: you cannot vote for it)")}) : null]);
    });
    wrap.appendChild(el("p", {text: nt("You are one of the course's top reviewers: choose up to %(n)s work, until %(date)s. You can change your votes until then.",
                                       "You are one of the course's top reviewers: choose up to %(n)s works, until %(date)s. You can change your votes until then.",
                                       vote.votes_per_voter, {date: fmtDate(vote.closes_at)})}));
    var list = el("ul", {"class": "cc-ballot-works"}, boxes);
    wrap.appendChild(el("fieldset", {}, [el("legend", {text: t("Your votes")}), list]));
    if (vote.open && !ctx.readOnly) {
      wrap.appendChild(el("button", {type: "button", "class": "cc-button cc-cast-votes", text: t("Save my votes"), onclick: function () {
        var chosen = Array.prototype.filter.call(list.querySelectorAll("input"), function (box) { return box.checked; })
          .map(function (box) { return Number(box.value); });
        error.textContent = "";
        ctx.call("cast_votes", {work_ids: chosen}).then(function (fresh) {
          ctx.announce(t("Your votes are saved."));
          ctx.onState(fresh);
        }).catch(function (err) { error.textContent = err.message; });
      }}));
    }
    wrap.appendChild(error);
    return wrap;
  }

  return {renderStaff: renderStaff, learnerPart: learnerPart};
}());
