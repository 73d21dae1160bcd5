/* The reviewer rating (issue 11, F3): the learner's own panel ("Your rating as a reviewer",
 * under the grade) and, for course staff, the table of every learner of the course with the CSV
 * link. Plain JS, no library; every value from the server goes into the page as text. The rating
 * is the course's, over all its cross-checks, so it is loaded by its own handler when its tab is
 * shown, not with the page's state. */
var CrossCheckReviewerRating = (function () {
  "use strict";  // i18n: code
  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt, el = CrossCheckCommon.el;

  /** Points and numbers as text; a missing value shows "–". */
  function fmt(value) { return CrossCheckCommon.fmtPoints(value, "–"); }

  /** A share 0..1 as points of 100 ("72.5"). */
  function of100(share) { return share === null || share === undefined ? "–" : fmt(100 * share); }

  function loading(node) {
    node.textContent = "";
    node.setAttribute("aria-busy", "true");
    node.appendChild(el("p", {"class": "cc-note", text: t("Loading…")}));
  }

  /** What each part adds, as a small table: agreement, on time, thanks, extra reviews, complaints. */
  function partsTable(data) {
    var c = data.components, p = c.points;
    var rows = [
      [t("Agreement with the other reviewers"), t("%(points)s of 70", {points: fmt(p.agreement)})],
      [t("Reviews finished on time"), t("%(points)s of 30", {points: fmt(p.on_time)})],
      [t("Thanks from authors"), t("+%(points)s (at most +10)", {points: fmt(p.thanks)})],
      [t("Extra reviews"), t("+%(points)s (at most +10)", {points: fmt(p.extra)})],
      [t("Complaints upheld by course staff"), p.complaints ? t("−%(points)s", {points: fmt(-p.complaints)}) : "0"]
    ];
    return el("table", {"class": "cc-staff-table cc-rating-parts"}, [
      el("caption", {text: t("What your rating is made of")}),
      el("thead", {}, [el("tr", {}, [el("th", {scope: "col", text: t("Part")}), el("th", {scope: "col", text: t("Points")})])]),
      el("tbody", {}, rows.map(function (row) {
        return el("tr", {}, [el("th", {scope: "row", text: row[0]}), el("td", {text: row[1]})]);
      }))]);
  }

  function renderLearner(body, data) {
    body.textContent = "";
    body.appendChild(el("p", {"class": "cc-rating-number", text: data.rating === null ? t("No rating yet")
      : t("%(rating)s of 100", {rating: fmt(data.rating)})}));
    if (data.rating !== null) {
      body.appendChild(el("p", {"class": "cc-note", text: nt(
        "From %(n)s review in this course's cross-checks.", "From %(n)s reviews in this course's cross-checks.",
        data.reviews)}));
      body.appendChild(partsTable(data));
    }
    body.appendChild(el("ul", {"class": "cc-rating-explanation"}, data.explanation.map(function (sentence) {
      return el("li", {text: sentence});
    })));
    body.appendChild(el("p", {"class": "cc-note", text: t("Only you and course staff see your rating.")}));
  }

  /** The learner's own rating into `section`. ctx: {call, showError}. */
  function loadLearner(section, ctx) {
    if (!section) { return; }
    section.textContent = "";
    section.appendChild(el("h3", {text: t("Your rating as a reviewer")}));
    var body = el("div", {"class": "cc-rating-body"});
    section.appendChild(body);
    loading(body);
    ctx.call("get_reviewer_rating").then(function (data) {
      renderLearner(body, data);
      body.removeAttribute("aria-busy");
    }).catch(function (err) { ctx.showError(err.message); });
  }

  function renderStaff(target, data, exportUrl) {
    target.textContent = "";
    target.appendChild(el("p", {"class": "cc-note cc-rating-formula", text: data.formula}));
    var sep = exportUrl.indexOf("?") >= 0 ? "&" : "?";
    target.appendChild(el("p", {"class": "cc-staff-exports"}, [
      el("a", {href: exportUrl + sep + "kind=reviewer_ratings", download: "",  // i18n: code
               text: t("Download reviewer ratings (CSV)")})]));
    if (!data.ratings.length) {
      target.appendChild(el("p", {"class": "cc-note cc-empty", text: t("No learners in this course's cross-checks yet.")}));
      return;
    }
    function part(name) { return function (row) { return row.components[name]; }; }
    var columns = [
      {label: t("Learner"), rowHeader: true, value: function (row) { return row.learner; },
       cell: function (row) { return row.learner; }},
      {label: t("Rating"), value: function (row) { return row.rating; }, cell: function (row) { return fmt(row.rating); }},
      {label: t("Reviews"), value: function (row) { return row.reviews; }, cell: function (row) { return String(row.reviews); }},
      {label: t("Agreement (of 100)"), value: part("own_agreement"), cell: function (row) { return of100(row.components.own_agreement); }},
      {label: t("Bias"), value: part("bias"), cell: function (row) { return fmt(row.components.bias); }},
      {label: t("Scatter"), value: part("scatter"), cell: function (row) { return fmt(row.components.scatter); }},
      {label: t("On time"), value: part("own_on_time"),
       cell: function (row) { return t("%(done)s / %(n)s", {done: row.components.on_time_reviews, n: row.components.due_reviews}); }},
      {label: t("Thanked"), value: part("thanks"), cell: function (row) { return String(row.components.thanks); }},
      {label: t("Complaints upheld"), value: part("complaints_upheld"),
       cell: function (row) { return String(row.components.complaints_upheld); }},
      {label: t("Extra reviews"), value: part("extra_reviews"), cell: function (row) { return String(row.components.extra_reviews); }},
      {label: t("Cross-checks"), value: function (row) { return row.tasks.length; },
       cell: function (row) { return row.tasks.map(function (task) { return task.title; }).join(", "); }}
    ];
    target.appendChild(CrossCheckCommon.dataTable(columns, data.ratings, {
      tableClass: "cc-staff-table cc-ratings-table", caption: t("Every learner of the course as a reviewer"),
      filter: function (row) { return row.learner; }, filterLabel: t("Filter by learner"),
      rowAttrs: function (row) { return {"data-learner": row.learner}; }}));
  }

  /** The staff table into `panel` (a refresh button, then the table). ctx: {call, showError, exportUrl}. */
  function loadStaff(panel, ctx) {
    if (!panel.firstChild) {
      panel.appendChild(el("h3", {text: t("Staff: reviewer ratings")}));
      panel.appendChild(el("div", {"class": "cc-panel-tools"}, [
        el("button", {type: "button", "class": "cc-staff_reviewer_ratings", text: t("Refresh ratings"),
                      onclick: function () { loadStaff(panel, ctx); }})]));
      panel.appendChild(el("div", {"class": "cc-ratings"}));
    }
    var target = panel.querySelector(".cc-ratings");
    loading(target);
    ctx.call("staff_reviewer_ratings").then(function (data) {
      renderStaff(target, data, ctx.exportUrl);
      target.removeAttribute("aria-busy");
    }).catch(function (err) { ctx.showError(err.message); });
  }

  return {loadLearner: loadLearner, loadStaff: loadStaff};
})();
