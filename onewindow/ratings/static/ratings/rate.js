/* 好差评 pages: show only the options of the chosen level (the page works without this), submit once. */
(function () {
  "use strict";

  function sync(form) {
    var checked = form.querySelector('input[name="level"]:checked');
    var level = checked ? checked.value : "";
    form.querySelectorAll(".rt-opts[data-level]").forEach(function (box) {
      box.hidden = box.getAttribute("data-level") !== level;
    });
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-rate-form]").forEach(function (form) {
      if (form.dataset.rateReady) { return; }
      form.dataset.rateReady = "1";
      sync(form);
      form.addEventListener("change", function (event) {
        if (event.target && event.target.name === "level") { sync(form); }
      });
    });
    (root || document).querySelectorAll("form[data-submit-once]").forEach(function (form) {
      if (form.dataset.onceReady) { return; }
      form.dataset.onceReady = "1";
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (!button) { return; }
        // After the event, so that htmx and the browser still send the form.
        window.setTimeout(function () {
          button.disabled = true;
          if (button.dataset.busyText) { button.textContent = button.dataset.busyText; }
        }, 0);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // The pad's panel is replaced by htmx (a new service, the thanks screen): wire the new form.
  document.addEventListener("htmx:afterSwap", function () { init(document); });
})();
