/* Portal enhancements. Every page works without this file; it only adds comfort. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // Print buttons stay hidden without JavaScript (they could not work).
    document.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    });

    // The filter panel is a disclosure on phones and always open on wide screens.
    var wide = window.matchMedia("(min-width: 900px)");
    function syncPanels() {
      document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
        if (wide.matches) d.open = true;
      });
    }
    syncPanels();
    if (wide.addEventListener) wide.addEventListener("change", syncPanels);

    // Phones: the navigation scrolls sideways; bring the current page's entry into view.
    var current = document.querySelector(".site-nav [aria-current=page]");
    if (current && current.parentNode.scrollWidth > current.parentNode.clientWidth) {
      current.parentNode.scrollLeft = current.offsetLeft - 16;
    }
  });

  // The printed notice shows every answer: open all <details> while printing, then restore.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });

  // Keep search URLs short and shareable: drop empty filter parameters before htmx sends them.
  document.addEventListener("htmx:configRequest", function (evt) {
    if (evt.detail.verb !== "get") return;
    var params = evt.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "" || params[key] === null) delete params[key];
    });
    if (evt.detail.elt && evt.detail.elt.id === "guide-filters") delete params.page;
  });
})();
