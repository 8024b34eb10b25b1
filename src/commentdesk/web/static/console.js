/* commentdesk console: keys and in-place updates on top of plain forms.
   Everything here is optional: without it every action is a form that posts and
   redirects. With it: j/k move, a approve, r reject (then 1-9 picks a reason, or type a
   note and press Enter), e edit, f feature or unfeature, x select, X select the page,
   g c campaigns, g q queue, u undo, ? keys, Esc cancel. Keys are read by their place on
   the keyboard (KeyboardEvent.code), so a Korean input method changes nothing. */
(function () {
  "use strict";

  var body = document.body;
  body.classList.add("js");
  // The queue's comments, or the campaigns page's campaigns: j/k and r work on both.
  var list = document.getElementById("items") || document.querySelector("ol.campaigns");
  var current = -1;

  function items() {
    // A decided comment leaves the list at once, while it fades: the next key is the next's.
    return list ? Array.prototype.slice.call(list.querySelectorAll(":scope > li:not(.gone):not(.leaving)")) : [];
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

  // The page's own words for what the script writes (the console's language).
  function notDone() {
    var slot = document.getElementById("undo-slot");
    return (slot && slot.getAttribute("data-not-done")) || "Not done";
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

  function leave(item) {
    var index = items().indexOf(item);
    var wasCurrent = item === currentItem();
    item.classList.add("leaving");
    item.classList.remove("current");
    if (wasCurrent) { select(index); } // the next comment now sits at that index
    else if (index >= 0 && index < current) { current -= 1; }
  }

  function comeBack(item) {
    item.classList.remove("leaving");
    select(items().indexOf(item));
  }

  function flipFeature(form) {
    var button = form.querySelector("button[data-other]");
    if (!button) { return; }
    var label = button.querySelector("span");
    var was = { value: button.value, label: label.textContent };
    button.value = button.getAttribute("data-other");
    label.textContent = button.getAttribute("data-other-label");
    button.setAttribute("data-other", was.value);
    button.setAttribute("data-other-label", was.label);
    form.setAttribute("data-action", button.value);
  }

  // When every comment on the page is decided, the next page of the queue comes by itself.
  var inFlight = 0;
  function settled() {
    inFlight -= 1;
    if (inFlight === 0 && list && list.id === "items" && !items().length) {
      window.setTimeout(function () { if (!inFlight) { window.location.reload(); } }, 650);
    }
  }

  function decide(form, submitter) {
    var item = form.closest(".item");
    var extra = submitter && submitter.name ? {} : null;
    if (extra) { extra[submitter.name] = submitter.value; }
    var action = (extra && extra.action) || form.getAttribute("data-action");
    var leaves = action !== "feature" && action !== "unfeature" && action !== "edit";
    if (leaves) { leave(item); }
    inFlight += 1;
    post(form, extra).then(function (answer) {
      if (!answer.ok) {
        if (leaves) { comeBack(item); }
        say(item, answer.json.error ? answer.json.error.message : notDone(), false);
        return;
      }
      var json = answer.json;
      var said = json.said || json.action || action;  // in the console's language
      say(item, "#" + json.id + ": " + said + " ✓", true);
      if (json.undo_until) { showUndo(json.undo_until, "#" + json.id + ": " + said); }
      if (!leaves) {
        if (action === "feature" || action === "unfeature") { flipFeature(form); }
        return;
      }
      item.classList.add("done");
      window.setTimeout(function () {
        item.classList.add("gone");
        item.hidden = true;
      }, 600);
    }).then(settled, function () { inFlight -= 1; form.submit(); });
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

  // The key's place, not the character it types: under a Korean input method "a" arrives
  // as "ㅁ", but its code is still KeyA.
  function keyName(event) {
    var letter = /^Key([A-Z])$/.exec(event.code || "");
    if (letter) { return event.shiftKey ? letter[1] : letter[1].toLowerCase(); }
    var digit = /^(?:Digit|Numpad)([0-9])$/.exec(event.code || "");
    if (digit) { return digit[1]; }
    return event.key;
  }

  function toggleAll() {
    var boxes = items().map(function (el) { return el.querySelector('input[name="ids"]'); })
      .filter(function (box) { return box; });
    var on = boxes.some(function (box) { return !box.checked; });
    boxes.forEach(function (box) {
      box.checked = on;
      box.closest(".item").classList.toggle("selected", on);
    });
  }

  var GO = { c: "/console/clusters", q: "/console" };
  var goPending = 0; // until when a "g" waits for its second key

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var key = keyName(event);
    var reject = target.closest && target.closest("form.reject.open");
    if (key === "Escape") {
      var confirm = document.getElementById("confirm");
      if (confirm) { window.location.assign(confirm.querySelector("a.cancel").getAttribute("href")); return; }
      if (overlay) { overlay.hidden = true; }
      closeReject();
      return;
    }
    if (reject && target.tagName === "SELECT" && /^[1-9]$/.test(key)) {
      var options = target.options;
      var n = parseInt(key, 10); // option 0 is "Choose a reason"
      if (n < options.length) {
        event.preventDefault();
        target.selectedIndex = n;
        reject.requestSubmit();
      }
      return;
    }
    if (reject && target.tagName === "SELECT" && key === "Enter") {
      event.preventDefault();
      // No reason chosen: nothing is filed; the note is the other way to give one.
      if (target.value) { reject.requestSubmit(); }
      else { reject.querySelector('input[name="note"]').focus(); }
      return;
    }
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    if (goPending > Date.now()) {
      goPending = 0;
      if (GO[key]) { event.preventDefault(); window.location.assign(GO[key]); }
      return;
    }
    var item = currentItem();
    switch (key) {
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
      case "X": toggleAll(); break;
      case "g": goPending = Date.now() + 1500; break;
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
