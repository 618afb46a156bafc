// The deputy picker of the registration form (proposal_new): as the liaison
// types a name in a field with data-deputy-picker, the deputies matching
// it are fetched from /deputies/search and offered in the field's listbox
// (aria-controls); picking one writes 姓名（代表团） into the field — the
// whole field for "one", the last of the names separated by 、 for "many".
// Without this script the fields are plain text of names, which the server
// looks up all the same.
"use strict";

(function () {
  if (!window.fetch) {
    return;
  }
  var separators = /[、，,;；\n]/;
  document.querySelectorAll("input[data-deputy-picker]").forEach(function (input) {
    var many = input.getAttribute("data-deputy-picker") === "many";
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) {
      return;
    }
    var timer = 0, seq = 0, active = -1;
    var options = function () { return list.querySelectorAll('[role="option"]'); };
    var current = function () {
      var parts = input.value.split(separators);
      return parts[parts.length - 1].trim();
    };
    var close = function () {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    var pick = function (label) {
      if (many) {
        var m = input.value.match(/^(.*[、，,;；\n])?[^、，,;；\n]*$/);
        input.value = (m && m[1] ? m[1] : "") + label + "、";
      } else {
        input.value = label;
      }
      close();
      input.focus();
    };
    var mark = function (i) {
      var opts = options();
      if (opts.length === 0) {
        return;
      }
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
    };
    var show = function (data) {
      list.textContent = "";
      active = -1;
      if (data.deputies.length === 0) {
        var none = document.createElement("li");
        none.textContent = list.getAttribute("data-none");
        none.className = "picker-note";
        list.appendChild(none);
      }
      data.deputies.forEach(function (d, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("lang", "zh-CN");
        li.textContent = d.label;
        li.addEventListener("mousedown", function (e) {
          e.preventDefault();
          pick(d.label);
        });
        list.appendChild(li);
      });
      if (data.more) {
        var more = document.createElement("li");
        more.textContent = list.getAttribute("data-more");
        more.className = "picker-note";
        list.appendChild(more);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };
    var search = function () {
      var q = current();
      if (q === "") {
        close();
        return;
      }
      var mine = ++seq;
      fetch("/deputies/search?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && mine === seq && input === document.activeElement) {
            show(data);
          }
        })
        .catch(function () { close(); });
    };
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) {
        return;
      }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        mark(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        pick(options()[active].textContent);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();
