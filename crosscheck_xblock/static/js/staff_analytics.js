/* The staff analytics view: a table of the works, an SVG histogram of the grades and an SVG bar
 * chart of how far each reviewer scores from the others. Plain JS, no library; every value from
 * the server goes into the page as text (textContent), never as markup. */
var CrossCheckAnalytics = (function () {
  "use strict";  // i18n: code
  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  var percent = CrossCheckCommon.percent, t = CrossCheckCommon.t, nt = CrossCheckCommon.nt;

  /** Points in the staff tables and charts: a missing value (no self-check, no grade yet) shows "–". */
  function fmt(value) { return CrossCheckCommon.fmtPoints(value, "–"); }

  function histogram(data) {
    var bins = data.histogram.bins;
    var width = 420, height = 180, pad = 24, barW = (width - 2 * pad) / bins.length;
    var top = Math.max.apply(null, bins.map(function (b) { return b.count; }).concat([1]));
    var bars = bins.map(function (bin, i) {
      var h = (height - 2 * pad) * bin.count / top;
      var x = pad + i * barW, y = height - pad - h;
      return svg("g", {}, [
        svg("rect", {x: x + 1, y: y, width: barW - 2, height: h, "class": "cc-bar", fill: "#4a78b5"},
            [svg("title", {text: nt("%(from)s–%(to)s: %(n)s work", "%(from)s–%(to)s: %(n)s works", bin.count,
                                    {from: fmt(bin.from), to: fmt(bin.to)})})]),
        bin.count ? svg("text", {x: x + barW / 2, y: y - 3, "text-anchor": "middle", "font-size": 10, text: String(bin.count)}) : null,
        svg("text", {x: x + barW / 2, y: height - pad + 12, "text-anchor": "middle", "font-size": 9, text: fmt(bin.from)})
      ]);
    });
    return svg("svg", {"class": "cc-histogram", width: width, height: height, role: "img",
                       viewBox: "0 0 " + width + " " + height},
      [svg("title", {text: t("Grades (%(final)s final, %(expected)s expected)",
                             {final: data.histogram.graded, expected: data.histogram.expected})}),
       svg("line", {x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: "#555"})].concat(bars));
  }

  function agreementChart(data) {
    var rows = data.reviewers;
    var width = 420, rowH = 16, labelW = 120, height = Math.max(rows.length, 1) * rowH + 20;
    var half = (width - labelW - 10) / 2, mid = labelW + half;
    var top = Math.max.apply(null, rows.map(function (r) { return Math.abs(r.mean_deviation); }).concat([1]));
    var bars = rows.map(function (r, i) {
      var w = half * Math.abs(r.mean_deviation) / top, y = 10 + i * rowH;
      return svg("g", {}, [
        svg("text", {x: labelW - 4, y: y + 11, "text-anchor": "end", "font-size": 10, text: r.reviewer_learner}),
        svg("rect", {x: r.mean_deviation < 0 ? mid - w : mid, y: y + 2, width: w, height: rowH - 4,
                     "class": r.evidence_flag ? "cc-bar cc-bar-flagged" : "cc-bar",
                     fill: r.evidence_flag ? "#c0392b" : "#4a78b5"},
            [svg("title", {text: t("%(reviewer)s: %(points)s points vs the others",
                                   {reviewer: r.reviewer_learner, points: fmt(r.mean_deviation)})})])
      ]);
    });
    return svg("svg", {"class": "cc-agreement-chart", width: width, height: height, role: "img",
                       viewBox: "0 0 " + width + " " + height},
      [svg("title", {text: t("Mean signed deviation of each reviewer from the other reviewers")}),
       svg("line", {x1: mid, y1: 0, x2: mid, y2: height, stroke: "#555"})].concat(bars));
  }

  function flags(work, threshold) {
    var share = percent(threshold, 1);
    var parts = [];
    if (work.ideal) { parts.push(t("ideal")); }
    if (work.needs_staff) { parts.push(t("needs staff")); }
    if (work.author_warned_by_fixed_rule) { parts.push(t("self-check off (%(share)s rule)", {share: share})); }
    work.reviews.forEach(function (r) {
      if (r.excluded_by_fixed_rule) {
        parts.push(t("reviewer %(number)s excluded (%(share)s rule)", {number: r.reviewer, share: share}));
      }
      if (r.evidence_flag) {
        parts.push(t("reviewer %(number)s flagged: %(flag)s", {number: r.reviewer, flag: r.evidence_flag}));
      }
      if (r.thin_comment) {
        parts.push(t("reviewer %(number)s: points taken with hardly any comment", {number: r.reviewer}));
      }
    });
    return parts.join("; ");
  }

  /** This task's warnings under each rule beside the rule's simulated rates, and the rule in use:
   * staff read "1 of 5 reviewers" against "warns 70 % of honest reviewers". */
  function ruleComparison(data) {
    var el = CrossCheckCommon.el, w = data.warnings, sim = data.simulated;
    function counted(count, share) {
      return share === null ? t("%(count)s of %(n)s", {count: count, n: w.reviewers})
        : t("%(count)s of %(n)s (%(share)s)", {count: count, n: w.reviewers, share: percent(share)});
    }
    // The same table as the Studio editor's, with this task's own counts beside the rates.
    var table = CrossCheckCommon.ratesTable([
      {rule: "fixed", label: t("fixed (%(share)s)", {share: percent(data.threshold, 1)}),
       cells: [nt("%(reviewers)s, and %(n)s author", "%(reviewers)s, and %(n)s authors", w.fixed_rule_authors,
                  {reviewers: counted(w.fixed_rule, w.fixed_rule_share)})]},
      {rule: "evidence", label: t("evidence"), cells: [counted(w.evidence_rule, w.evidence_rule_share)]}
    ], {
      simulated: sim,
      marked: data.warning_rule, mark: t(" (used)"),
      tableClass: "cc-staff-table cc-analytics-rules-table", rowClass: "cc-rule", markedClass: "cc-rule-used",
      columns: [t("Reviewers it warns in this task")],
      rateHeads: [t("Simulated: honest reviewers warned"), t("Simulated: careless reviewers caught")],
      caption: t("Warning rules and their simulated rates")
    });
    var written = Object.keys(w.written || {}).filter(function (kind) { return w.written[kind]; })
      .map(function (kind) { return t("%(n)s %(kind)s", {n: w.written[kind], kind: kind.replace(/_/g, " ")}); });
    var simValues = sim ? {classes: sim.classes, scenario: sim.scenario_text, learners: sim.learners, k: sim.k,
                           threshold: percent(data.threshold, 1), max: sim.max_score} : {};
    var simText = sim ? t("Simulated: %(classes)s %(scenario)s (%(learners)s learners each; k = %(k)s, threshold %(threshold)s, maximum %(max)s).", simValues)
                      : t("No simulation for these settings.");
    return el("div", {"class": "cc-analytics-rules"}, [
      el("h4", {text: t("Warning rules")}),
      el("p", {"class": "cc-analytics-rule-used", text: data.warning_rule === "none"
        ? t("This task warns nobody at grading (rule: none).")
        : t("This task uses the %(rule)s rule at grading: %(text)s", {rule: data.warning_rule, text: data.warning_rule_text})}),
      table,
      el("p", {"class": "cc-note cc-analytics-simulated", text: sim && sim.note
        ? t("%(text)s %(note)s", {text: simText, note: sim.note}) : simText}),
      el("p", {"class": "cc-note cc-analytics-written", text: written.length
        ? t("Warnings written so far: %(list)s.", {list: written.join(", ")})
        : t("Warnings written so far: none.")})
    ]);
  }

  /** Thin reviews and pasted comments, overall and reviewer by reviewer (the server sends the
   * first of them, most thin reviews first). */
  function commentSignals(data) {
    var el = CrossCheckCommon.el, w = data.warnings;
    var flagged = data.comment_flags;
    var items = flagged.map(function (r) {
      var parts = [];
      if (r.thin_reviews) {
        parts.push(nt("%(n)s thin review", "%(n)s thin reviews", r.thin_reviews));
      }
      if (r.pasted_comment) { parts.push(t("the same comment in all their reviews")); }
      return el("li", {"data-learner": r.reviewer_learner,
                       text: t("%(reviewer)s: %(signals)s", {reviewer: r.reviewer_learner, signals: parts.join("; ")})});
    });
    var thin = nt("%(n)s thin review (below the maximum with fewer than %(chars)s characters of comments)",
                  "%(n)s thin reviews (below the maximum with fewer than %(chars)s characters of comments)",
                  w.thin_reviews, {chars: w.thin_comment_chars});
    var by = nt("by %(n)s reviewer", "by %(n)s reviewers", w.thin_reviewers);
    var pasted = nt("%(n)s reviewer pasted one comment into all of their reviews.",
                    "%(n)s reviewers pasted one comment into all of their reviews.", w.pasted_comment_reviewers);
    return el("div", {"class": "cc-analytics-comments"}, [
      el("h4", {text: t("Comments that justify the points")}),
      el("p", {"class": "cc-note cc-analytics-thin", text: t("%(thin)s, %(by)s. %(pasted)s",
                                                             {thin: thin, by: by, pasted: pasted})}),
      items.length ? el("ul", {"class": "cc-analytics-comment-flags"}, items) : null,
      data.comment_flags_total > flagged.length
        ? el("p", {"class": "cc-note cc-analytics-comment-more",
                   text: t("The first %(shown)s of %(n)s reviewers, most thin reviews first.",
                           {shown: flagged.length, n: data.comment_flags_total})}) : null
    ]);
  }

  /** Draw `data` (the staff_analytics answer) into `container`. `options`: links [{href, text}],
   * fetch(query) → a promise of another answer (the works' table pages on the server),
   * showError(text), onQuery(query) (the table's page shown, to ask again on a refresh). */
  function render(container, data, options) {
    options = options || {};
    var links = options.links;
    var el = CrossCheckCommon.el;
    container.textContent = "";
    container.appendChild(el("h3", {text: t("Staff: analytics")}));
    if (links && links.length) {  // the staff section shows them already; other callers may pass some
      container.appendChild(el("p", {"class": "cc-analytics-links"}, links.map(function (link, i) {
        return el("span", {}, [i ? " · " : null, el("a", {href: link.href, download: "", text: link.text})]);
      })));
    }
    if (data.message) { container.appendChild(el("p", {"class": "cc-note cc-analytics-message", text: data.message})); }
    var w = data.warnings;
    container.appendChild(el("p", {"class": "cc-analytics-warnings", text:
      t("Warnings among %(n)s reviewers: the fixed %(share)s rule warns %(fixed)s (and %(authors)s authors); the evidence rule warns %(evidence)s.",
        {n: w.reviewers, share: percent(data.threshold, 1), fixed: w.fixed_rule, authors: w.fixed_rule_authors,
         evidence: w.evidence_rule})}));
    container.appendChild(ruleComparison(data));
    container.appendChild(commentSignals(data));
    function gradeOf(work) {
      if (work.grade) {
        return work.grade.points === null ? work.grade.status
          : t("%(points)s / %(max)s", {points: fmt(work.grade.points), max: fmt(work.grade.max)});
      }
      return work.expected === null ? "" : t("expected %(points)s", {points: fmt(work.expected)});
    }
    var columns = [
      {label: t("Work"), sort: "learner", cell: function (work) { return work.learner; }},
      {label: t("Self-check"), sort: "self_check", cell: function (work) { return fmt(work.self_check); }},
      {label: t("Reviewer totals"), cell: function (work) {
        return work.reviews.map(function (r) { return fmt(r.total) + (r.excluded_by_fixed_rule ? "*" : ""); }).join(", ");
      }},
      {label: t("Largest spread"), sort: "spread", cell: function (work) { return fmt(work.largest_spread); }},
      {label: t("Grade"), sort: "grade", cell: gradeOf},
      {label: t("Ideal / flags"), sort: "flags", cell: function (work) { return flags(work, data.threshold); }}
    ];
    container.appendChild(CrossCheckCommon.pagedTable(columns, data, {
      rows: function (answer) { return answer.works; },
      fetch: options.fetch, showError: options.showError || function () { return null; }, onQuery: options.onQuery,
      rowAttrs: function (work) { return {"data-learner": work.learner}; },
      tableClass: "cc-staff-table cc-analytics-table", wrapClass: "cc-analytics-works",
      caption: t("Works, their reviews and grades"), searchLabel: t("Search by learner"),
      pagerLabel: t("Pages of the works' table"),
      countText: function (answer, first, last) {
        return !answer.total
          ? (answer.search ? t("No work matches “%(search)s”.", {search: answer.search}) : t("No works submitted yet."))
          : nt("Work %(from)s–%(to)s of %(n)s", "Works %(from)s–%(to)s of %(n)s", answer.total, {from: first, to: last});
      }}));
    container.appendChild(el("h4", {text: t("Grades (final, or expected with the task's policy, aggregation and warning rule)")}));
    container.appendChild(histogram(data));
    container.appendChild(el("h4", {text: t("Reviewers: mean points above (right) or below (left) the other reviewers")}));
    if (data.reviewers_total > data.reviewers.length) {
      container.appendChild(el("p", {"class": "cc-note cc-agreement-note", text:
        t("The %(shown)s reviewers furthest from the others, half below and half above, of %(n)s.",
          {shown: data.reviewers.length, n: data.reviewers_total})}));
    }
    container.appendChild(agreementChart(data));
  }

  return {render: render};
})();
