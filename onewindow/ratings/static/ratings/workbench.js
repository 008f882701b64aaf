/* 好差评 workbench: in the 12345 entry only the options of the chosen level are offered; in the reply form the
   "what changed" field is shown for 已整改 only. Without JavaScript every field stays visible and the server
   checks the same rules. */
(function () {
  "use strict";

  function syncLevel() {
    var chosen = document.querySelector("#rt-level input[name=level]:checked");
    var level = chosen ? chosen.value : "";
    document.querySelectorAll(".rt-option-group").forEach(function (group) {
      var on = group.getAttribute("data-level") === level;
      group.hidden = !on;
      group.querySelectorAll("input").forEach(function (input) {
        input.disabled = !on;
        if (!on) { input.checked = false; }
      });
    });
  }

  function syncOutcome(form) {
    var chosen = form.querySelector("[data-outcome] input:checked");
    var changes = form.querySelector("[data-changes]");
    if (changes) { changes.hidden = !!chosen && chosen.value !== "rectified"; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.getElementById("rt-level")) {
      document.querySelectorAll("#rt-level input[name=level]").forEach(function (input) {
        input.addEventListener("change", syncLevel);
      });
      syncLevel();
    }
    document.querySelectorAll(".rt-action-form").forEach(function (form) {
      if (!form.querySelector("[data-outcome]")) { return; }
      form.addEventListener("change", function () { syncOutcome(form); });
      syncOutcome(form);
    });
  });
})();
