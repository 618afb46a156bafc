// banli — the little script of the pages (loaded with defer; no inline
// script is allowed by the Content Security Policy). Pages work without it.
"use strict";

(function () {
  // A button with data-action="print" prints the page. It is hidden in the
  // HTML and shown here, so that without script there is no dead button.
  document.querySelectorAll('[data-action="print"]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  // A form with data-confirm="…" asks before it is sent.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) {
        e.preventDefault();
      }
    });
  });
})();
