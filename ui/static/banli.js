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

  // The end of the login (layout: #session-warning; data-idle, the idle
  // timeout, and data-left, the time to the absolute end, in seconds as
  // served): a warning a few minutes before, with a button that makes a
  // request (which counts as activity) when the idle end comes first, and
  // a login link once it has passed. The editor's autosave counts too: it
  // calls window.banliSessionSeen.
  var warn = document.getElementById("session-warning");
  if (warn && window.fetch) {
    var lead = 5 * 60 * 1000, slack = 60 * 1000; // a request is recorded once a minute
    var idle = +warn.getAttribute("data-idle") * 1000;
    var absEnd = Date.now() + (+warn.getAttribute("data-left")) * 1000;
    var seen = Date.now() - slack;
    var text = document.getElementById("session-warning-text");
    var extend = document.getElementById("session-extend");
    var login = document.getElementById("session-login");
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var check = function () {
      var end = Math.min(seen + idle, absEnd), left = end - Date.now();
      if (left <= 0) {
        text.textContent = warn.getAttribute("data-msg-ended");
        extend.hidden = true;
        login.hidden = false;
        warn.hidden = false;
        return;
      }
      if (left > lead) {
        warn.hidden = true;
        return;
      }
      var at = new Date(end);
      text.textContent = warn.getAttribute("data-msg-soon").replace("{time}", pad(at.getHours()) + ":" + pad(at.getMinutes()))
        .replace("{minutes}", String(Math.ceil(left / 60000)));
      extend.hidden = end === absEnd;
      login.hidden = true;
      warn.hidden = false;
    };
    window.banliSessionSeen = function () { seen = Date.now() - slack; check(); };
    extend.addEventListener("click", function () {
      fetch("/me", {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (r) {
        if (r.ok) { window.banliSessionSeen(); }
      });
    });
    check();
    setInterval(check, 15000);
  }

  // A button with data-action="copy" copies the value of the field
  // data-copy names, and says so (data-copied). Hidden without script.
  document.querySelectorAll('[data-action="copy"]').forEach(function (b) {
    var field = document.getElementById(b.getAttribute("data-copy"));
    if (!field) { return; }
    var label = b.textContent;
    b.hidden = false;
    b.addEventListener("click", function () {
      var done = function () {
        b.textContent = b.getAttribute("data-copied");
        setTimeout(function () { b.textContent = label; }, 2000);
      };
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { if (document.execCommand("copy")) { done(); } });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
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
