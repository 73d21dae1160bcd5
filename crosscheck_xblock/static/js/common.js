/* What the learner page and the Studio editor share: building DOM nodes and calling handlers. */
var CrossCheckCommon = (function () {
  "use strict";

  /** A DOM element with attributes, `text` (textContent), children and handlers (onX). `html` is
   * only for text the server has sanitized (checklist items); nothing a learner wrote goes there. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { node.textContent = value; }
      else if (key === "html") { node.innerHTML = value; }
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

  /** An Error carrying the handler's JSON error body ({error, code, …}) as its own fields. */
  function failure(body) {
    var err = new Error(body.error);
    Object.keys(body).forEach(function (key) { err[key] = body[key]; });
    return err;
  }

  /** call(handler, body) for one block: POSTs JSON with the CSRF header; resolves with the answer,
   * rejects with failure(answer) on a 4xx/5xx or when the server cannot be reached. */
  function handlerCaller(runtime, root) {
    return function call(handler, body) {
      return fetch(runtime.handlerUrl(root, handler), {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
        body: JSON.stringify(body || {})
      }).then(function (response) {
        return response.json().catch(function () {
          return {error: "The server answered " + response.status + ".", code: "http_" + response.status};
        }).then(function (data) {
          if (!response.ok) { throw failure(data); }
          return data;
        });
      }, function () {
        throw failure({error: "The server could not be reached. Check the connection and try again.",
                       code: "network"});
      });
    };
  }

  return {el: el, csrfToken: csrfToken, handlerCaller: handlerCaller};
})();
