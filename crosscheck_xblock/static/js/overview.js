/* The learner's course overview (issue 13, S4): every cross-check of the course in one list,
 * newest first, from the `course_overview` answer ({"tasks": [...]}). Plain JS, no build step.
 *
 * Two places show it: the block, in a collapsible part below the task (filled by its own
 * handler call once the page has loaded, so the page's state costs nothing more), and the
 * course-level page of the plugin (/crosscheck/courses/<course id>/, views.py), which embeds the
 * answer. Tasks open for submission stand out twice: named with their deadline at the top, before
 * the list, and marked in it. Nothing scrolls inside the list, so nothing hides below its fold.
 * Every text from the server is put in with textContent.
 */
var CrossCheckOverview = (function () {
  "use strict";  // i18n: code
  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt, el = CrossCheckCommon.el;
  var fmtPoints = CrossCheckCommon.fmtPoints;

  // Links open in the whole window: in the LMS the block sits inside the learning MFE's frame.
  var TOP = "_top";  // i18n: code

  /** An element of class `className` whose text is `text`. */
  function textEl(tag, className, text) {
    return el(tag, {"class": className, text: text});
  }

  function unitLink(task) {
    return el("a", {href: task.url, target: TOP, "class": "cc-overview-link", text: task.title});
  }

  function nextDate(task) {
    return el("span", {"class": "cc-overview-countdown", "data-phase": task.phase, "data-date": task.next_date || "",
                       text: CrossCheckCommon.nextDateText(task.phase, task.next_date, new Date()) || "—"});
  }

  function workText(task) {
    return task.submitted ? t("submitted") : t("not yet");
  }

  function reviewsText(task) {
    if (!task.reviews_assigned) { return "—"; }
    return t("%(done)s of %(n)s done", {done: task.reviews_done, n: task.reviews_assigned});
  }

  function gradeText(task) {
    var grade = task.grade;
    if (!grade) { return "—"; }
    if (grade.points === null || grade.points === undefined) { return CrossCheckCommon.gradeStatus(grade.status); }
    return t("%(points)s of %(max)s", {points: fmtPoints(grade.points), max: fmtPoints(grade.max)});
  }

  /** The tasks still open for submission, each with its link and deadline, before the list. */
  function openPart(tasks) {
    var open = tasks.filter(function (task) { return task.open_for_submission; });
    if (!open.length) { return null; }
    var title = nt("Open for submission now:", "Open for submission now (%(n)s):", open.length);
    return el("div", {"class": "cc-overview-open-now", role: "note"}, [
      textEl("p", "cc-overview-open-title", title),
      el("ul", {}, open.map(function (task) {
        var submitted = task.submitted ? t("you submitted") : t("you have not submitted yet");
        var noDeadline = t("no deadline set");
        return el("li", {"class": "cc-overview-open-task"}, [
          unitLink(task), " — ", task.next_date ? nextDate(task) : noDeadline, " ",
          textEl("span", "cc-overview-submitted cc-note", submitted)]);
      }))]);
  }

  /** A cell with its column's name (narrow screens show it before the value). */
  function cell(label, className, content) {
    var attrs = {"class": className, "data-label": label};
    if (typeof content === "string") { attrs.text = content; content = null; }
    return el("td", attrs, content ? [content] : []);
  }

  function table(tasks) {
    var head = [t("Task"), t("Phase"), t("Next date"), t("Your work"), t("Your reviews"), t("Grade")];
    var caption = t("Your cross-checks in this course, newest first");
    var badge = t("open for submission");
    return el("table", {"class": "cc-overview-table"}, [
      textEl("caption", "cc-visually-hidden", caption),
      el("thead", {}, [el("tr", {}, head.map(function (text) { return el("th", {scope: "col", text: text}); }))]),
      el("tbody", {}, tasks.map(function (task) {
        return el("tr", {"class": "cc-overview-row cc-overview-phase-" + task.phase
                                  + (task.open_for_submission ? " cc-overview-open" : "")}, [
          el("th", {scope: "row"}, [unitLink(task),
            task.open_for_submission ? textEl("span", "cc-badge cc-overview-open-badge", badge) : null,
            task.unread_notices ? textEl("span", "cc-badge cc-overview-notices",
                                         nt("%(n)s new notice", "%(n)s new notices", task.unread_notices)) : null]),
          cell(head[1], "cc-overview-phase", task.phase_text),
          cell(head[2], "cc-overview-next", nextDate(task)),
          cell(head[3], "cc-overview-work", workText(task)),
          cell(head[4], "cc-overview-reviews", reviewsText(task)),
          cell(head[5], "cc-overview-grade", gradeText(task))]);
      }))]);
  }

  /** Fill `container` with the overview of `data` ({"tasks": [...]}). */
  function render(container, data) {
    container.textContent = "";
    var tasks = data.tasks || [];
    if (!tasks.length) {
      var none = t("There are no cross-checks in this course yet.");
      container.appendChild(textEl("p", "cc-note", none));
      return;
    }
    var open = openPart(tasks);
    if (open) { container.appendChild(open); }
    container.appendChild(table(tasks));
  }

  /** Bring every countdown in `container` up to date (called every half minute). */
  function refresh(container) {
    Array.prototype.forEach.call(container.querySelectorAll(".cc-overview-countdown"), function (node) {
      node.textContent = CrossCheckCommon.nextDateText(node.getAttribute("data-phase"), node.getAttribute("data-date"),
                                                       new Date()) || "—";
    });
  }

  /** The block's collapsible overview (`details`): its summary counts the course's tasks and
   * those open for submission; it stays hidden when the course has no other task. */
  function renderInBlock(details, data, coursePageUrl) {
    var tasks = data.tasks || [];
    details.hidden = tasks.length < 2;
    if (details.hidden) { return; }
    var open = tasks.filter(function (task) { return task.open_for_submission; }).length;
    var summary = details.querySelector(".cc-overview-summary");
    summary.textContent = "";
    summary.appendChild(el("span", {text: t("All cross-checks of this course: %(n)s", {n: tasks.length})}));
    if (open) {
      var openText = nt("%(n)s open for submission", "%(n)s open for submission", open);
      summary.appendChild(textEl("span", "cc-overview-summary-open", openText));
    }
    var body = details.querySelector(".cc-overview-body");
    render(body, data);
    if (coursePageUrl) {
      var pageText = t("Open the overview as a page of its own");
      body.appendChild(el("p", {"class": "cc-overview-page"}, [el("a", {href: coursePageUrl, target: TOP, text: pageText})]));
    }
  }

  /** The course-level page (views.py): its embedded answer, or why there is none. */
  function page(root) {
    var init = JSON.parse(root.querySelector("script.cc-init").textContent);
    CrossCheckCommon.setLanguage(init.language);
    var body = root.querySelector(".cc-overview-body");
    if (init.error) {
      var error = root.querySelector(".cc-error");
      error.textContent = init.error;
      error.hidden = false;
      if (init.login_url) {
        body.appendChild(el("p", {}, [el("a", {href: init.login_url, text: t("Sign in")})]));
      }
      return;
    }
    render(body, init.overview);
    setInterval(function () { refresh(body); }, 30000);
  }

  return {render: render, refresh: refresh, renderInBlock: renderInBlock, page: page};
})();
