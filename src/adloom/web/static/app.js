/* Adloom dashboard behaviour (no build step): errors shown in place, live status over SSE. */
(function () {
  "use strict";
  // htmx swaps 4xx/5xx responses (see the htmx-config meta); show them next to what was clicked.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if (!xhr || xhr.status < 400) return;
    var origin = evt.detail.requestConfig && evt.detail.requestConfig.elt;
    var scope = origin && origin.closest("[data-error-scope], form, .card");
    var slot = scope && scope.querySelector(".js-error");
    if (slot) {
      evt.detail.shouldSwap = false;
      slot.innerHTML = xhr.responseText;
      slot.setAttribute("tabindex", "-1");
      slot.focus();
    }
  });
  // Live updates: any element with data-live listens for "adloom:status" (htmx hx-trigger).
  function connect() {
    if (!window.EventSource || !document.querySelector("[data-live]")) return;
    var source = new EventSource("/dashboard/events");
    source.addEventListener("status", function (msg) {
      var detail = {};
      try { detail = JSON.parse(msg.data); } catch (e) { /* ignore */ }
      document.body.dispatchEvent(new CustomEvent("adloom:status", { detail: detail, bubbles: true }));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", connect); else connect();
})();
