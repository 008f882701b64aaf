/* Sign-in and registration pages: a form is sent once however often its button is clicked, and a
   "resend code" button counts down until a new code may be sent. Pages work without this file. */
(function () {
  "use strict";

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
    // Disable after the browser has collected the pressed button's name and value.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });

  // Coming back with the browser's back button shows the page from its cache: make it usable again.
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) return;
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });

  function countdown(button) {
    var left = parseInt(button.getAttribute("data-wait"), 10) || 0;
    var label = button.getAttribute("data-label") || button.textContent;
    var template = button.getAttribute("data-wait-label") || "{n}";
    function tick() {
      if (left <= 0) { button.disabled = false; button.textContent = label; return; }
      button.disabled = true;
      button.textContent = template.replace("{n}", String(left));
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () { document.querySelectorAll("button[data-wait]").forEach(countdown); });
})();
