/* commentdesk console: keys and in-place updates on top of plain forms.
   Everything here is optional: without it every action is a form that posts and
   redirects. With it: j/k move, a approve, r reject (then 1-9 picks a reason, or type a
   note and press Enter), e edit, f feature, x select, u undo, ? keys, Esc cancel. */
(function () {
  "use strict";

  var body = document.body;
  body.classList.add("js");
  var list = document.getElementById("items");
  var current = -1;

  function items() {
    return list ? Array.prototype.slice.call(list.querySelectorAll(".item:not(.gone)")) : [];
  }

  function select(index) {
    var all = items();
    if (!all.length) { current = -1; return; }
    index = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (el) { el.classList.remove("current"); });
    current = index;
    var item = all[index];
    item.classList.add("current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function currentItem() {
    var all = items();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function csrfToken() {
    var field = document.querySelector('input[name="csrf"]');
    return field ? field.value : "";
  }

  function say(item, text, ok) {
    var note = item.querySelector(".message");
    if (!note) {
      note = document.createElement("p");
      note.className = "message";
      item.appendChild(note);
    }
    note.textContent = text;
    note.classList.toggle("ok", !!ok);
  }

  function showUndo(until, label) {
    var slot = document.getElementById("undo-slot");
    if (!slot || !until) { return; }
    slot.textContent = "";
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/console/undo";
    form.className = "undo";
    form.setAttribute("data-until", until);
    var token = document.createElement("input");
    token.type = "hidden"; token.name = "csrf"; token.value = csrfToken();
    var text = document.createElement("span");
    text.textContent = label;
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = slot.getAttribute("data-undo-label") || "Undo";
    var key = document.createElement("kbd");
    key.textContent = "u";
    button.appendChild(document.createTextNode(" "));
    button.appendChild(key);
    form.appendChild(token); form.appendChild(text); form.appendChild(button);
    slot.appendChild(form);
    expireUndo(form);
  }

  function expireUndo(form) {
    var until = Date.parse(form.getAttribute("data-until"));
    var left = until - Date.now();
    if (isNaN(until)) { return; }
    if (left <= 0) { form.classList.add("expired"); return; }
    window.setTimeout(function () { form.classList.add("expired"); }, left);
  }

  function post(form, extra) {
    var data = new FormData(form);
    if (extra) { Object.keys(extra).forEach(function (k) { data.set(k, extra[k]); }); }
    // getAttribute: a control named "action" shadows the form's action property
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrfToken() }
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    });
  }

  function decide(form, submitter) {
    var item = form.closest(".item");
    var extra = submitter && submitter.name ? {} : null;
    if (extra) { extra[submitter.name] = submitter.value; }
    var action = (extra && extra.action) || form.getAttribute("data-action");
    post(form, extra).then(function (answer) {
      if (!answer.ok) {
        say(item, answer.json.error ? answer.json.error.message : "Not done.", false);
        return;
      }
      var json = answer.json;
      say(item, "#" + json.id + ": " + (json.action || action) + " ✓", true);
      item.classList.add("done");
      if (json.undo_until) { showUndo(json.undo_until, "#" + json.id + ": " + json.action); }
      if (action !== "feature" && action !== "unfeature" && action !== "edit") {
        var wasCurrent = item === currentItem();
        window.setTimeout(function () {
          item.classList.add("gone");
          item.hidden = true;
          if (wasCurrent) { select(current); }
        }, 600);
      }
    }).catch(function () { form.submit(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches(".item form[data-action]")) {
      event.preventDefault();
      decide(form, event.submitter);
    } else if (form.matches("form.undo")) {
      event.preventDefault();
      post(form).then(function (answer) {
        if (answer.ok) { window.location.reload(); }
        else { form.querySelector("span").textContent = answer.json.error.message; }
      });
    }
  });

  function clickIn(item, selector) {
    var target = item && item.querySelector(selector);
    if (target) { target.click(); return true; }
    return false;
  }

  function openReject(item) {
    var form = item && item.querySelector("form.reject");
    if (!form) { return; }
    form.classList.add("open");
    form.querySelector("select").focus();
  }

  function closeReject() {
    document.querySelectorAll("form.reject.open").forEach(function (f) { f.classList.remove("open"); });
    var item = currentItem();
    if (item) { item.focus({ preventScroll: true }); }
  }

  var overlay = null;
  function toggleHelp() {
    if (overlay) { overlay.hidden = !overlay.hidden; return; }
    fetch("/console/help", { credentials: "same-origin" }).then(function (r) { return r.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var help = page.getElementById("help");
        if (!help) { return; }
        overlay = document.createElement("div");
        overlay.className = "help-overlay";
        overlay.appendChild(document.importNode(help, true));
        overlay.addEventListener("click", function () { overlay.hidden = true; });
        body.appendChild(overlay);
      });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var reject = target.closest && target.closest("form.reject.open");
    if (event.key === "Escape") {
      if (overlay) { overlay.hidden = true; }
      closeReject();
      return;
    }
    if (reject && target.tagName === "SELECT" && /^[1-9]$/.test(event.key)) {
      var options = target.options;
      var n = parseInt(event.key, 10) - 1;
      if (n < options.length) {
        event.preventDefault();
        target.selectedIndex = n;
        reject.requestSubmit();
      }
      return;
    }
    if (reject && target.tagName === "SELECT" && event.key === "Enter") {
      event.preventDefault();
      reject.requestSubmit();
      return;
    }
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    var item = currentItem();
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": clickIn(item, "button.approve"); break;
      case "r": event.preventDefault(); openReject(item); break;
      case "e": clickIn(item, "a.edit"); break;
      case "f": clickIn(item, 'form[data-action="feature"] button, form[data-action="unfeature"] button'); break;
      case "x":
        var box = item && item.querySelector('input[type="checkbox"]');
        if (box) { box.checked = !box.checked; item.classList.toggle("selected", box.checked); }
        break;
      case "u": clickIn(document, "form.undo:not(.expired) button"); break;
      case "?": toggleHelp(); break;
      default: return;
    }
  });

  if (list) {
    list.addEventListener("click", function (event) {
      var item = event.target.closest(".item");
      if (item) { select(items().indexOf(item)); }
    });
    list.addEventListener("change", function (event) {
      if (event.target.name === "ids") {
        event.target.closest(".item").classList.toggle("selected", event.target.checked);
      }
    });
    select(0);
  }
  document.querySelectorAll("form.undo").forEach(expireUndo);
}());
