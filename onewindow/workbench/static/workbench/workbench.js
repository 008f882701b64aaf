/* Workbench behaviour: formset rows (add, move, delete), Ctrl+S to save, jump to a field from the
   quality panel, and a warning before leaving an editor with unsaved changes. Pages work without it. */
(function () {
  "use strict";
  var dirty = false;

  function editorForm(el) { return el && el.closest("form[data-dirty-guard]"); }
  function changed(form) {
    dirty = true;
    if (form) form.dispatchEvent(new CustomEvent("wb:rows", { bubbles: true }));
  }
  function renumber(container) {
    var i = 1;
    Array.prototype.forEach.call(container.children, function (row) {
      if (!row.hasAttribute("data-row")) return;
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = i;
      i += 1;
    });
  }

  document.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add]");
    if (add) {
      var rel = add.getAttribute("data-add");
      var tpl = document.getElementById("tpl-" + rel);
      var total = document.getElementById("id_" + rel + "-TOTAL_FORMS");
      var container = document.querySelector('[data-formset="' + rel + '"]');
      if (!tpl || !total || !container) return;
      var n = parseInt(total.value, 10);
      container.insertAdjacentHTML("beforeend", tpl.innerHTML.replace(/__prefix__/g, String(n)));
      total.value = n + 1;
      var row = container.lastElementChild;
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
      if (first) first.focus();
      dirty = true;
      return;
    }
    var move = e.target.closest("[data-move]");
    if (move) {
      var r = move.closest("[data-row]");
      var up = move.getAttribute("data-move") === "-1";
      var sib = up ? r.previousElementSibling : r.nextElementSibling;
      while (sib && !sib.hasAttribute("data-row")) sib = up ? sib.previousElementSibling : sib.nextElementSibling;
      if (!sib) return;
      if (up) r.parentNode.insertBefore(r, sib); else r.parentNode.insertBefore(sib, r);
      renumber(r.parentNode);
      move.focus();
      changed(editorForm(r));
      return;
    }
    var jump = e.target.closest("a[data-focus]");
    if (jump) {
      var el = document.getElementById(jump.getAttribute("data-focus"));
      if (!el) return;
      e.preventDefault();
      el.scrollIntoView({ block: "center" });
      var target = el.matches("input, select, textarea, [tabindex]") ? el : el.querySelector("input:not([type=hidden]), select, textarea");
      (target || el).focus({ preventScroll: true });
      el.classList.add("wb-flash");
      setTimeout(function () { el.classList.remove("wb-flash"); }, 1600);
    }
  });

  document.addEventListener("change", function (e) {
    if (e.target.matches('input[name$="-DELETE"]')) {
      e.target.closest("[data-row]").classList.toggle("is-deleted", e.target.checked);
    }
    if (editorForm(e.target)) dirty = true;
  });
  document.addEventListener("input", function (e) {
    if (!editorForm(e.target)) return;
    dirty = true;
    // The issues printed under a field describe the saved draft: once the field is edited, dim them.
    var field = e.target.closest(".wb-field");
    var issues = field && field.querySelector(".wb-issues");
    if (issues) issues.classList.add("is-stale");
  });
  document.addEventListener("submit", function (e) {
    if (e.target.matches("form[data-dirty-guard]")) dirty = false;
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });

  // Ctrl+S (Cmd+S) or Alt+S saves the draft.
  document.addEventListener("keydown", function (e) {
    var s = e.code === "KeyS" || e.key === "s" || e.key === "S";
    if (s && !e.shiftKey && (e.ctrlKey || e.metaKey || e.altKey)) {
      var save = document.querySelector("[data-save]");
      if (save) { e.preventDefault(); save.click(); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('input[name$="-DELETE"]:checked').forEach(function (box) {
      box.closest("[data-row]").classList.add("is-deleted");
    });
  });
})();
