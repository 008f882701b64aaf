/* Behaviour every page shares, kept out of the HTML so that the Content-Security-Policy can forbid inline
   script: the language picker submits on change; "back" links go back in history. Pages work without it. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    if (e.target && e.target.matches && e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
  document.addEventListener("click", function (e) {
    var back = e.target.closest && e.target.closest("a[data-history-back]");
    if (back && window.history.length > 1) {
      e.preventDefault();
      window.history.back();
    }
  });
})();
