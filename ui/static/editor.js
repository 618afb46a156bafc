// banli — the draft editor's script (draft_edit.html; loaded with defer,
// no inline script under the Content Security Policy). The editor works
// without it: the form saves versions by itself. With it:
//
//   - what is typed is saved as the user's working copy as they type
//     (POST data-autosave, same origin, with the CSRF token; no version),
//     and kept in this browser (localStorage, key data-store) until the
//     server has it;
//   - a copy kept in this browser that the server did not get (the login
//     had ended, the network was down) is sent when the editor opens again,
//     and the page reloads to show it with the notice "已恢复未保存的内容";
//   - a paste that would take a section's body over its limit, or the
//     form over what one request may carry, is refused before anything is
//     sent, the limit named (data-max-*, workflow's constants).
"use strict";

(function () {
  var form = document.getElementById("draft-form");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var d = form.dataset;
  var maxBody = +d.maxBody, maxRequest = +d.maxRequest;
  var status = document.getElementById("draft-autosave-status");
  var limitError = document.getElementById("draft-limit-error");
  var csrf = form.elements.csrf_token.value;
  var base = form.elements.base_version.value;
  var timer = null, sending = false, again = false;

  function sections() {
    var out = [];
    var headings = form.querySelectorAll('[name="heading"]');
    var bodies = form.querySelectorAll('[name="body"]');
    for (var i = 0; i < Math.max(headings.length, bodies.length); i++) {
      out.push({h: headings[i] ? headings[i].value : "", b: bodies[i] ? bodies[i].value : ""});
    }
    return out;
  }
  function encode(secs, baseVersion) {
    var p = new URLSearchParams();
    p.append("csrf_token", csrf);
    p.append("base_version", baseVersion);
    secs.forEach(function (s) { p.append("heading", s.h); p.append("body", s.b); });
    return p.toString();
  }
  function norm(secs) {
    return JSON.stringify(secs.map(function (s) {
      return [s.h.trim(), s.b.replace(/\r\n?/g, "\n").split("\n").map(function (l) { return l.trim(); })
        .filter(function (l) { return l !== ""; }).join("\n")];
    }).filter(function (s) { return s[0] !== "" || s[1] !== ""; }));
  }
  function keep() {
    try {
      localStorage.setItem(d.store, JSON.stringify({base: base, sections: sections(), at: Date.now()}));
    } catch (e) { /* private mode or full: the autosave still works */ }
  }
  function kept() {
    try { return JSON.parse(localStorage.getItem(d.store) || "null"); } catch (e) { return null; }
  }
  function forget() {
    try { localStorage.removeItem(d.store); } catch (e) { /* nothing kept */ }
  }
  function say(msg) { if (status) { status.textContent = msg; } }
  function refuse(msg) {
    limitError.textContent = msg;
    limitError.hidden = false;
    limitError.scrollIntoView({block: "nearest"});
  }
  function chars(s) { return Array.from(s.replace(/\r\n/g, "\n")).length; }
  function size(n) { return (n / 1048576).toFixed(1) + " MB"; }

  // post sends a working copy; it resolves to the response.
  function post(body) {
    return fetch(d.autosave, {
      method: "POST", credentials: "same-origin", body: body,
      headers: {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf}
    });
  }
  function autosave() {
    timer = null;
    if (sending) { again = true; return; }
    var body = encode(sections(), base);
    if (body.length > maxRequest) {
      refuse(d.msgRequest.replace("{size}", size(body.length)));
      return;
    }
    sending = true;
    post(body).then(function (resp) {
      if (resp.status === 401) { say(d.msgExpired); return null; }
      if (!resp.ok) { say(d.msgFailed); return null; }
      return resp.json();
    }).then(function (j) {
      if (!j) { return; }
      forget();
      say(d.msgSaved.replace("{time}", j.saved_at.slice(11)));
      if (window.banliSessionSeen) { window.banliSessionSeen(); }
    }).catch(function () { say(d.msgFailed); }).then(function () {
      sending = false;
      if (again) { again = false; autosave(); }
    });
  }
  function changed() {
    keep();
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(autosave, 2000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("paste", function (e) {
    var el = e.target;
    if (!el || el.name !== "body" || !e.clipboardData) { return; }
    var text = e.clipboardData.getData("text/plain");
    var before = el.value.slice(0, el.selectionStart), after = el.value.slice(el.selectionEnd);
    var count = chars(before) + chars(text) + chars(after);
    var n = Array.prototype.indexOf.call(form.querySelectorAll('[name="body"]'), el) + 1;
    if (count > maxBody) {
      e.preventDefault();
      refuse(d.msgBody.replace("{n}", n).replace("{count}", count));
      return;
    }
    var total = encode(sections(), base).length - encodeURIComponent(el.value).length +
      encodeURIComponent(before + text + after).length;
    if (total > maxRequest) {
      e.preventDefault();
      refuse(d.msgRequest.replace("{size}", size(total)));
      return;
    }
    limitError.hidden = true;
  });
  form.addEventListener("submit", function (e) {
    var body = encode(sections(), base);
    if (body.length > maxRequest) {
      e.preventDefault();
      refuse(d.msgRequest.replace("{size}", size(body.length)));
      return;
    }
    // Kept until the page after the save shows a newer version.
    keep();
  });

  // A copy kept in this browser: restored through the server (which shows
  // it with its notice), or here when the server cannot take it.
  var k = kept();
  if (k && k.base === base && norm(k.sections) !== norm(sections())) {
    post(encode(k.sections, k.base)).then(function (resp) {
      if (resp.ok) { forget(); window.location.reload(); return; }
      restoreHere(k.sections);
    }).catch(function () { restoreHere(k.sections); });
  } else if (k) {
    forget(); // saved since, or the same text
  }
  function restoreHere(secs) {
    var headings = form.querySelectorAll('[name="heading"]');
    var bodies = form.querySelectorAll('[name="body"]');
    if (headings.length !== secs.length) { return; }
    secs.forEach(function (s, i) { headings[i].value = s.h; bodies[i].value = s.b; });
    var note = document.getElementById("draft-local-restored");
    note.hidden = false;
    document.getElementById("draft-local-discard").addEventListener("click", function () {
      forget();
      window.location.reload();
    });
  }
})();
