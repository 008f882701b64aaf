/* Case screens (受理台, inbox, case page): Alt+letter shortcuts, one submit per form, the correction composer
   that follows the checklist, the item picker and the material viewer. Every page works without it. */
(function () {
  "use strict";

  function visible(el) { return !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length)); }
  function typing(el) { return el && (el.matches("input, textarea, select") || el.isContentEditable); }
  function firstField(root) {
    return root.querySelector("input:not([type=hidden]):not([disabled]), select, textarea, button[type=submit]");
  }

  // Alt+letter: open the action (a <summary>) or press the button/link that carries data-shortcut.
  document.addEventListener("keydown", function (e) {
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Key[A-Z]$/.test(e.code)) {
      var key = e.code.slice(3);
      var el = document.querySelector('[data-shortcut="' + key + '"]');
      if (!el) return;
      e.preventDefault();
      if (el.tagName === "SUMMARY") {
        var details = el.parentElement;
        details.open = true;
        var f = firstField(details);
        (f || el).focus();
        details.scrollIntoView({ block: "nearest" });
      } else {
        el.click();
      }
      return;
    }
    if (e.key === "F2" || (e.key === "/" && !typing(e.target))) {
      var target = document.querySelector('[data-shortcut-focus="' + e.key + '"]');
      if (target) { e.preventDefault(); target.focus(); target.select && target.select(); }
      return;
    }
    // Inbox: J / K move between rows, Enter follows the focused link.
    if ((e.key === "j" || e.key === "k") && !typing(e.target) && !e.altKey && !e.ctrlKey) {
      var links = Array.prototype.slice.call(document.querySelectorAll(".wb-case-table tbody td:first-child a"));
      if (!links.length) return;
      var i = links.indexOf(document.activeElement);
      i = e.key === "j" ? Math.min(i + 1, links.length - 1) : Math.max(i - 1, 0);
      links[i].focus();
      e.preventDefault();
    }
  });

  // Item picker on the desk: ↓ from the search box into the results, ↑/↓ between them, Enter picks the first.
  document.addEventListener("keydown", function (e) {
    var input = e.target.closest && e.target.closest("[data-pick-input]");
    var pick = e.target.closest && e.target.closest("[data-pick]");
    if (!input && !pick) return;
    var list = document.getElementById("item-list");
    if (input && e.key === "Enter") {
      e.preventDefault();
      var q = input.value.trim();
      var pickFirst = function () { var first = document.querySelector("[data-pick]"); if (first) first.click(); };
      if (list && list.getAttribute("data-q") === q) { pickFirst(); return; }
      // The list is still for an earlier query (Enter within the typing delay): fetch it first, then pick.
      if (window.htmx) {
        window.htmx.ajax("GET", input.getAttribute("hx-get"), { source: input, target: "#item-list", swap: "outerHTML" })
          .then(pickFirst);
      } else {
        input.form.submit();
      }
      return;
    }
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-pick]"));
    if (!items.length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      var i = pick ? items.indexOf(pick) : -1;
      i += e.key === "ArrowDown" ? 1 : -1;
      if (i < 0) { document.querySelector("[data-pick-input]").focus(); } else { items[Math.min(i, items.length - 1)].focus(); }
      e.preventDefault();
    }
  });

  // Enter in the checklist moves to the next control (acting needs the button or its Alt shortcut).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.altKey || e.ctrlKey || e.shiftKey) return;
    var form = e.target.closest && e.target.closest("form[data-composer]");
    if (!form || !e.target.matches("input")) return;
    e.preventDefault();
    var fields = Array.prototype.filter.call(form.querySelectorAll("input:not([type=hidden]):not([tabindex='-1']), textarea, button"),
      function (el) { return visible(el) && !el.disabled; });
    var i = fields.indexOf(e.target);
    if (i >= 0 && i + 1 < fields.length) fields[i + 1].focus();
  });

  // One submit per form: a double click (or Enter twice) sends once; the token on the server is the safety net.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.submitted) { e.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.classList.add("is-submitting");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
      b.setAttribute("aria-disabled", "true");
    });
  });
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-once]"), function (form) {
      delete form.dataset.submitted;
      form.classList.remove("is-submitting");
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.removeAttribute("aria-disabled"); });
    });
  });

  // The composer lists the materials not ticked 已收 (and not waived), reasons pre-filled "未提交".
  function syncComposer(form) {
    Array.prototype.forEach.call(form.querySelectorAll("tr[data-spec]"), function (row) {
      var id = row.getAttribute("data-spec");
      var recv = row.querySelector("[data-recv]");
      var waive = row.querySelector("[data-waive]");
      var notice = form.querySelector('tr[data-notice="' + id + '"]');
      if (!notice) return;
      var out = (recv && recv.checked) || (waive && waive.checked);
      notice.hidden = !!out;
      var box = notice.querySelector("input[type=checkbox]");
      if (box && out) box.checked = false;
      if (box && !out && !box.dataset.touched) box.checked = box.hasAttribute("data-default");
    });
    var open = form.querySelectorAll("tr[data-notice]:not([hidden])").length;
    var composer = form.querySelector("#composer");
    if (composer) composer.classList.toggle("is-empty", open === 0);
  }
  document.addEventListener("change", function (e) {
    var form = e.target.closest("form[data-composer]");
    if (!form) return;
    if (e.target.closest("tr[data-notice]")) { e.target.dataset.touched = "1"; return; }
    if (e.target.matches("[data-recv], [data-waive]")) syncComposer(form);
  });

  // Material viewer: the preview opens in the frame next to the list.
  document.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-viewer]");
    if (!link) return;
    var frame = document.querySelector("iframe[name=mat-viewer]");
    if (frame) frame.hidden = false;
  });

  document.addEventListener("DOMContentLoaded", function () {
    var alert = document.getElementById("case-alert") || document.getElementById("desk-alert");
    if (alert) alert.focus();
    var open = document.querySelector("details.wb-action[open] .has-error, details.wb-action[open] .errorlist");
    if (open) { var f = firstField(open.closest("form")); if (f) f.focus(); }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-composer]"), syncComposer);
  });
})();
