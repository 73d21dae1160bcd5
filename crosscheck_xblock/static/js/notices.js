/* Notices (issue 14, N1–N12, M5): the badge with the unread count, the list of the learner's
 * notices (marked read once shown), "Connect Telegram", and the notification settings (Telegram
 * per kind). Plain JS,
 * no library; every text from the server goes into the page as text, never as markup. */
var CrossCheckNotices = (function () {
  "use strict";  // i18n: code
  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt, el = CrossCheckCommon.el, fmtDate = CrossCheckCommon.fmtDate;

  function unreadOf(notices) {
    return (notices || []).filter(function (notice) { return !notice.read; }).length;
  }

  /** The settings' checkboxes, read from the server when the settings are opened. */
  function settingsPart(ctx) {
    var body = el("div", {"class": "cc-notice-settings-body"});
    var loaded = false;
    function fill(answer) {
      body.textContent = "";
      body.appendChild(el("p", {"class": "cc-note", text: answer.telegram_enabled
        ? t("Notices always appear here. Choose which of them are also sent to you by Telegram; the choice holds in every course.")
        : t("Telegram is not set up on this site yet, so notices appear only here. They always do.")}));
      var group = el("fieldset", {"class": "cc-notice-kinds"}, [el("legend", {text: t("Telegram")})]);
      answer.kinds.forEach(function (kind) {
        var box = el("input", {type: "checkbox", name: kind.kind, checked: answer.telegram[kind.kind],
          disabled: !answer.telegram_enabled || ctx.readOnly,
          onchange: function (event) {
            var change = {};
            change[kind.kind] = event.target.checked;
            ctx.call("notification_settings", {telegram: change}).then(function () {
              ctx.announce(t("Notification settings saved."));
            }).catch(function (err) { event.target.checked = !event.target.checked; ctx.showError(err.message); });
          }});
        group.appendChild(el("label", {"class": "cc-notice-kind"}, [box, " ", kind.label]));
      });
      body.appendChild(group);
    }
    var details = el("details", {"class": "cc-notice-settings",
      ontoggle: function () {
        if (!details.open || loaded) { return; }
        loaded = true;
        ctx.call("notification_settings", {}).then(fill).catch(function (err) { loaded = false; ctx.showError(err.message); });
      }}, [el("summary", {text: t("Notification settings")}), body]);
    return details;
  }

  /** "Connect Telegram" (a deep link that opens the bot; Start links the chat) or, once linked,
   * "Disconnect". ctx.telegram is get_state's {enabled, linked, link, bot}. */
  function telegramPart(ctx) {
    var tg = ctx.telegram || {};
    if (!tg.enabled) { return null; }
    var part = el("div", {"class": "cc-telegram"});
    if (tg.linked) {
      part.appendChild(el("p", {"class": "cc-telegram-status", text: t("Telegram is connected: notices also come to your chat with the bot.")}));
      part.appendChild(el("button", {type: "button", "class": "cc-button cc-telegram-unlink", disabled: ctx.readOnly,
        text: t("Disconnect Telegram"),
        onclick: function () {
          ctx.call("telegram_unlink", {}).then(function (answer) {
            ctx.onTelegram(answer.telegram);
            ctx.announce(t("Telegram disconnected."));
          }).catch(function (err) { ctx.showError(err.message); });
        }}));
    } else if (tg.link) {
      part.appendChild(el("p", {"class": "cc-note", text: t("Get these notices in Telegram: open the bot with the button and press Start there. The link works once and for an hour.")}));
      part.appendChild(el("a", {href: tg.link, "class": "cc-button cc-telegram-link", target: "_blank",
        rel: "noopener noreferrer",  // i18n: code
        text: t("Connect Telegram")}));
      part.appendChild(el("button", {type: "button", "class": "cc-button cc-secondary cc-telegram-check",
        text: t("I pressed Start"), onclick: function () { ctx.refresh(); }}));
    } else {
      part.appendChild(el("p", {"class": "cc-note", text: t("Telegram is not connected.")}));
    }
    return part;
  }

  /** Tell the server the browser's time zone once, so the dates in notices (here and in
   * Telegram) are the learner's; then the notices are worded again. */
  function reportZone(ctx) {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (err) { zone = ""; }
    if (!zone || zone === ctx.timeZoneReported || (ctx.timeZoneReported === "" && zone === "UTC") || ctx.readOnly || reported) { return; }  // i18n: code
    reported = true;
    ctx.call("notification_settings", {time_zone: zone}).then(function () { ctx.refresh(); })
      .catch(function () { return null; });  // the dates stay in UTC, named so
  }
  var reported = false;

  /** The notices section of the header: a disclosure whose summary carries the unread badge.
   * ctx: {call, readOnly, showError, announce, onNotices(list), telegram, onTelegram(part),
   * timeZoneReported, refresh()}. */
  function render(box, notices, ctx) {
    box.textContent = "";
    if (notices === null) {  // still on their way (get_notices): the same line, so nothing moves
      var waiting = el("details", {"class": "cc-notices-box cc-notices-loading", "aria-busy": "true",
        ontoggle: function () { box.setAttribute("data-open", waiting.open ? "1" : "0"); }}, [
        el("summary", {}, [t("Notices")]), el("p", {"class": "cc-note", text: t("Loading…")})]);
      box.appendChild(waiting);
      box.hidden = false;
      return;
    }
    notices = notices || [];
    var unread = unreadOf(notices);
    var summary = el("summary", {}, [t("Notices"), " ",
      unread ? el("span", {"class": "cc-badge cc-notice-badge", text: nt("%(n)s new", "%(n)s new", unread)}) : null]);
    var list = el("ul", {"class": "cc-notice-list"}, notices.map(function (notice) {
      return el("li", {"class": notice.read ? "cc-notice" : "cc-notice cc-notice-unread"}, [
        notice.read ? null : el("span", {"class": "cc-badge", text: t("New")}), notice.read ? null : " ",
        el("span", {"class": "cc-notice-text", text: notice.text}), " ",
        el("time", {"class": "cc-note", datetime: notice.created_at, text: fmtDate(notice.created_at)}), " ",
        el("a", {href: notice.link, "class": "cc-notice-link", text: t("Open the task")})]);
    }));
    var details = el("details", {"class": "cc-notices-box", open: box.getAttribute("data-open") === "1",
      ontoggle: function () {
        box.setAttribute("data-open", details.open ? "1" : "0");
        if (details.open) { markShown(notices, ctx); }
      }}, [summary,
        notices.length ? list : el("p", {"class": "cc-note", text: t("No notices yet.")}),
        telegramPart(ctx), settingsPart(ctx)]);
    box.appendChild(details);
    box.hidden = false;
    reportZone(ctx);
  }

  /** Mark the unread notices that were shown read (not while staff view as the learner). */
  function markShown(notices, ctx) {
    var ids = notices.filter(function (notice) { return !notice.read; }).map(function (notice) { return notice.id; });
    if (!ids.length || ctx.readOnly) { return; }
    ctx.call("mark_notices_read", {ids: ids}).then(function (answer) {
      ctx.onNotices(answer.notices);
    }).catch(function (err) { ctx.showError(err.message); });
  }

  return {render: render, unreadOf: unreadOf};
}());
