/* Extra reviews (issue 13, D4): the learner's offer to review one more work that lacks reviews,
 * the lease under way, and for course staff the pool of works lacking reviews over time. Plain
 * JS, no library; every value from the server goes into the page as text. */
var CrossCheckExtras = (function () {
  "use strict";  // i18n: code
  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt, el = CrossCheckCommon.el, fmtDate = CrossCheckCommon.fmtDate;

  /** Under the list of works to review: the offer, the lease under way, or nothing.
   * ctx: {call, readOnly, showError, announce, onState(fresh, reviewId)}. */
  function learnerPanel(state, ctx) {
    var extra = state.extra;
    if (!extra || (!extra.available && !extra.open && !extra.done)) { return null; }
    var box = el("div", {"class": "cc-extra", role: "group", "aria-label": t("Extra reviews")});
    if (extra.open) {
      var taken = state.reviews.filter(function (review) { return review.id === extra.open.review_id; })[0];
      box.appendChild(el("p", {"class": "cc-note cc-extra-open", text: t(
        "You took %(work)s as an extra review. Submit it by %(date)s; after that it goes back to the works that need reviews.",
        {work: taken ? taken.title : "", date: fmtDate(extra.open.expires_at)})}));
    }
    if (extra.done) {
      box.appendChild(el("p", {"class": "cc-note cc-extra-done", text: nt(
        "You did %(n)s extra review of %(limit)s possible. Thank you: it counts in your reviewer rating.",
        "You did %(n)s extra reviews of %(limit)s possible. Thank you: they count in your reviewer rating.",
        extra.done, {limit: extra.limit})}));
    }
    if (extra.available && !ctx.readOnly) {
      box.appendChild(el("p", {"class": "cc-note", text: t(
        "Some works have fewer reviews than they need because their reviewers have not shown up. You finished your reviews: you may review one more work.")}));
      box.appendChild(el("button", {type: "button", "class": "cc-take-extra", text: t("Review one more work"),
        onclick: function (event) {
          event.target.disabled = true;
          ctx.showError("");
          ctx.call("take_extra_review", {}).then(function (fresh) {
            ctx.announce(t("An extra work to review was added to your list."));
            ctx.onState(fresh, fresh.extra.open ? fresh.extra.open.review_id : null);
          }).catch(function (err) { event.target.disabled = false; ctx.showError(err.message); });
        }}));
    }
    return box;
  }

  /** The badge beside an extra review's title. */
  function badge(review) {
    return review.extra ? el("span", {"class": "cc-badge cc-extra-badge", text: t("Extra review")}) : null;
  }

  /** A progress row's reviews received: "4 (1 extra)". */
  function receivedText(row) {
    return row.reviews_received_extra
      ? t("%(n)s (%(extra)s extra)", {n: row.reviews_received, extra: row.reviews_received_extra})
      : String(row.reviews_received);
  }

  /** For staff: the pool now, and its samples over the review period as a small table. */
  function staffPool(pool) {
    if (!pool || (!pool.size && !pool.samples.length)) { return null; }
    var box = el("div", {"class": "cc-extra-pool"}, [
      el("p", {"class": "cc-note", text: nt(
        "%(n)s work lacks reviews now (extra reviews: up to %(limit)s per learner, %(hours)s hours each).",
        "%(n)s works lack reviews now (extra reviews: up to %(limit)s per learner, %(hours)s hours each).",
        pool.size, {limit: pool.limit, hours: pool.lease_hours})})]);
    if (pool.samples.length) {
      box.appendChild(el("details", {}, [
        el("summary", {text: t("Works lacking reviews over time")}),
        el("table", {"class": "cc-staff-table cc-pool-table"}, [
          el("caption", {text: t("Works lacking reviews over time")}),
          el("thead", {}, [el("tr", {}, [el("th", {scope: "col", text: t("Time")}),
                                         el("th", {scope: "col", text: t("Works lacking reviews")})])]),
          el("tbody", {}, pool.samples.map(function (sample) {
            return el("tr", {}, [el("td", {text: fmtDate(sample.at)}), el("td", {text: String(sample.size)})]);
          }))])]));
    }
    return box;
  }

  /** In a task with a window of extra reviews only: when the assigned reviews are (were) due. */
  function assignedNote(state) {
    var extra = state.extra;
    if (!extra || !extra.assigned_due) { return null; }
    return el("p", {"class": "cc-note cc-assigned-due", text: extra.assigned_closed
      ? t("Your assigned reviews were due at %(date)s. Until the cross-check end only extra reviews are taken.", {date: fmtDate(extra.assigned_due)})
      : t("Your assigned reviews are due at %(date)s. After that, until the cross-check end, only extra reviews are taken.", {date: fmtDate(extra.assigned_due)})});
  }

  return {learnerPanel: learnerPanel, assignedNote: assignedNote, badge: badge, receivedText: receivedText, staffPool: staffPool};
}());
