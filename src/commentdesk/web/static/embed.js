/* commentdesk embed.js: a publisher's comments, inline on its own pages.
 *
 * No framework, no build step, no request anywhere but the server this file came from.
 * On the host page:
 *
 *   <div data-commentdesk-article="KEY"></div>
 *   <script src="https://comments.example/embed.js" defer></script>
 *   <noscript>
 *     <iframe src="https://comments.example/articles/KEY" title="Comments"
 *             width="100%" height="900"></iframe>
 *   </noscript>
 *
 * Optional on the div: data-commentdesk-url and data-commentdesk-title (the article's
 * canonical URL and title, for sites that create articles on first use).
 * Without script (Tor Browser at "safest") the <noscript> frame shows the server-rendered
 * page, which works fully; the server lets only the site's own origins frame it or call
 * its API. Every node here is built with textContent, never innerHTML, so nothing a
 * reader wrote can become markup. Edit tokens of comments posted from this tab live in
 * sessionStorage, so the reader can fix or withdraw them until the tab is closed; a random
 * commenter key (for rate limits, never an identity) lives in localStorage.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var BASE = new URL(script.src).origin;
  var PAGE = 50;
  var BODY_MAX = 5000;
  /* The interface's language: times are written in it too, so a page never mixes two.
     Catalogs will come with the server's i18n layer. */
  var LOCALE = "en";
  var TEXT = {
    promise:
      "Comments are written in plain text, reviewed by a moderator before they appear, " +
      "and may be edited by a moderator under the site's terms of use. " +
      "They do not appear in real time.",
    held: "Thank you. Your comment is held for review.",
    heldMore:
      " A moderator will read it before it appears, which can take a while. " +
      "Until then only you can see it, in this browser tab.",
    published: "Thank you. Your comment is published.",
    edited: "Your changes are saved. The comment is still awaiting review.",
    deleted: "Your comment is deleted. It will not be published.",
    closed: "Comments are closed on this article.",
    offline:
      "The comment server could not be reached. What you typed is kept; please try again.",
    loadFailed: "The comments could not be loaded here.",
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  var URL_RE = /https?:\/\/[^\s<>"'`\u3000]+/gi;
  var TRAILING = ".,;:!?…。、）」』";

  function trimUrl(url) {
    for (;;) {
      var last = url.slice(-1);
      var open = last === ")" ? "(" : last === "]" ? "[" : null;
      var unbalanced = open && url.split(last).length > url.split(open).length;
      if (!last || (TRAILING.indexOf(last) < 0 && !unbalanced)) {
        return url;
      }
      url = url.slice(0, -1);
    }
  }

  /* The body as text, with http(s) addresses made links, as the server page does. */
  function linkified(text) {
    var out = document.createDocumentFragment();
    var at = 0;
    text.replace(URL_RE, function (match, offset) {
      var url = trimUrl(match);
      if (url.length <= 8) {
        return match;
      }
      out.append(text.slice(at, offset));
      out.append(el("a", { href: url, rel: "nofollow ugc noopener", text: url }));
      at = offset + url.length;
      return match;
    });
    out.append(text.slice(at));
    return out;
  }

  function when(iso) {
    var date = new Date(iso);
    var seconds = Math.round((date.getTime() - Date.now()) / 1000);
    var units = [
      ["year", 31536000],
      ["month", 2592000],
      ["day", 86400],
      ["hour", 3600],
      ["minute", 60],
    ];
    var relative = "just now";
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1]) {
        var format = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });
        relative = format.format(Math.round(seconds / units[i][1]), units[i][0]);
        break;
      }
    }
    var absolute = date.toLocaleString(LOCALE, { dateStyle: "medium", timeStyle: "short" });
    return el("span", { class: "cd-when" }, [
      el("time", { datetime: iso, text: relative }),
      " ",
      el("span", { class: "cd-abs", text: absolute }),
    ]);
  }

  function storageKey(key) {
    return "commentdesk:" + BASE + ":" + key;
  }

  function loadOwn(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(storageKey(key)) || "[]");
    } catch (err) {
      return [];
    }
  }

  function saveOwn(key, items) {
    try {
      window.sessionStorage.setItem(storageKey(key), JSON.stringify(items.slice(-20)));
    } catch (err) {
      /* storage off: the comments stay editable until the page is left */
    }
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return b.toString(16).padStart(2, "0");
      })
      .join("");
  }

  /* A random key for this browser, so rate limits and bans can tell readers apart
     without knowing who they are (the server page keeps one in a cookie instead). */
  var commenter = null;

  function commenterKey() {
    var name = "commentdesk:commenter:" + BASE;
    if (commenter) {
      return commenter;
    }
    try {
      var kept = window.localStorage.getItem(name);
      if (kept && /^[A-Za-z0-9_-]{16,64}$/.test(kept)) {
        commenter = kept;
        return commenter;
      }
    } catch (err) {
      /* storage off: a key for this page view only */
    }
    commenter = newKey();
    try {
      window.localStorage.setItem(name, commenter);
    } catch (err) {
      /* as above */
    }
    return commenter;
  }

  async function call(method, path, body, headers) {
    var init = { method: method, credentials: "omit", headers: headers || {} };
    init.headers.Accept = "application/json";
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var response = await fetch(BASE + path, init);
    var data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    return { status: response.status, data: data };
  }

  function Thread(root) {
    this.root = root;
    this.key = root.getAttribute("data-commentdesk-article");
    this.prefix = "cd-" + this.key.replace(/[^A-Za-z0-9_-]/g, "_") + "-";
    this.comments = [];
    this.shown = 0;
    this.parent = null;
    this.attempt = null;
    this.own = loadOwn(this.key);
  }

  Thread.prototype.id = function (name) {
    return this.prefix + name;
  };

  Thread.prototype.mount = function () {
    var root = this.root;
    root.classList.add("cd", "cd-embed");
    root.replaceChildren();
    this.count = el("p", { class: "cd-count" });
    this.notice = el("div", { class: "cd-notice", role: "status", tabindex: "-1", hidden: true });
    this.problem = el("div", { class: "cd-problem", role: "alert", hidden: true });
    this.ownSection = el("section", { class: "cd-section cd-own", hidden: true });
    this.list = el("ol", { class: "cd-thread" });
    this.more = el("button", {
      type: "button",
      class: "cd-button cd-quiet cd-more",
      text: "Show more comments",
      hidden: true,
    });
    this.more.addEventListener("click", this.renderMore.bind(this));
    root.append(
      el("header", { class: "cd-head" }, [el("h2", { class: "cd-title", text: "Comments" }), this.count]),
      this.notice,
      this.problem,
      this.ownSection,
      this.buildForm(),
      el("section", { class: "cd-section" }, [this.list, this.more])
    );
    this.renderOwn();
    return this.load();
  };

  Thread.prototype.buildForm = function () {
    var self = this;
    var id = this.id.bind(this);
    function field(name, label, hint, control) {
      control.id = id(name);
      control.name = name;
      control.setAttribute("aria-describedby", id(name) + "-hint");
      return el("div", { class: "cd-field" }, [
        el("label", { class: "cd-label", for: id(name), text: label }),
        el("p", { class: "cd-hint", id: id(name) + "-hint", text: hint }),
        el("p", { class: "cd-error", id: id(name) + "-error", hidden: true }),
        control,
      ]);
    }
    this.heading = el("h2", { class: "cd-h2", text: "Write a comment" });
    this.quote = el("blockquote", { class: "cd-quote", hidden: true });
    this.cancel = el("button", { type: "button", class: "cd-link", text: "Cancel the reply", hidden: true });
    this.cancel.addEventListener("click", function () {
      self.setReply(null);
    });
    this.author = el("input", { class: "cd-input", type: "text", autocomplete: "nickname", required: true });
    this.body = el("textarea", { class: "cd-input", rows: "6", required: true });
    this.email = el("input", { class: "cd-input", type: "email", autocomplete: "email" });
    this.terms = el("input", { type: "checkbox", value: "yes", required: true });
    this.counter = el("p", { class: "cd-hint cd-counter", "aria-live": "off" });
    this.body.addEventListener("input", this.updateCounter.bind(this));
    this.button = el("button", { class: "cd-button", type: "submit", text: "Send for review" });
    this.terms.id = id("accept_terms");
    this.terms.name = "accept_terms";
    var termsLink = el("a", {
      href: BASE + "/articles/" + encodeURIComponent(this.key) + "/terms",
      target: "_blank",
      rel: "noopener",
      text: "terms of use",
    });
    var form = el("form", { class: "cd-form" }, [
      field("author", "Pseudonym", "Shown with your comment: any name you like, up to 64 characters.", this.author),
      field("body", "Comment", "Plain text, up to 5,000 characters. Links are shown as text.", this.body),
      this.counter,
      field("email", "Email (optional)", "Used only to tell you about your comment; never shown to anyone.", this.email),
      el("div", { class: "cd-field cd-check" }, [
        el("p", { class: "cd-error", id: id("accept_terms") + "-error", hidden: true }),
        this.terms,
        el("label", { for: id("accept_terms") }, ["I accept the ", termsLink, " of this site."]),
      ]),
      el("p", { class: "cd-submit" }, [this.button]),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    this.form = form;
    this.updateCounter();
    this.compose = el("section", { class: "cd-section cd-compose" }, [
      this.heading,
      this.quote,
      el("p", { class: "cd-cancel" }, [this.cancel]),
      form,
      el("p", { class: "cd-promise", text: TEXT.promise }),
    ]);
    return this.compose;
  };

  Thread.prototype.updateCounter = function () {
    var used = Array.from(this.body.value).length;
    this.counter.textContent = used.toLocaleString(LOCALE) + " / " + BODY_MAX.toLocaleString(LOCALE);
    this.counter.classList.toggle("cd-over", used > BODY_MAX);
  };

  Thread.prototype.load = async function () {
    var found;
    try {
      found = await call("GET", "/api/v1/articles/" + encodeURIComponent(this.key) + "/comments");
    } catch (err) {
      found = { status: 0, data: null };
    }
    if (found.status === 404) {
      found = { status: 200, data: { comments: [], article: { count: 0 } } };
    }
    if (found.status !== 200 || !found.data) {
      this.showProblem(TEXT.loadFailed, this.pageLink("Open the comments page"));
      return;
    }
    this.comments = found.data.comments;
    if (found.data.article.open === false) {
      this.close();
    }
    var count = found.data.article.count;
    this.count.textContent = count === 1 ? "1 comment" : count.toLocaleString(LOCALE) + " comments";
    var published = {};
    this.comments.forEach(function (c) {
      published[c.id] = true;
    });
    var before = this.own.length;
    this.own = this.own.filter(function (item) {
      return !published[item.id];
    });
    if (this.own.length !== before) {
      saveOwn(this.key, this.own);
      this.renderOwn();
    }
    this.renderThread();
  };

  Thread.prototype.pageLink = function (label) {
    return el("a", {
      href: BASE + "/articles/" + encodeURIComponent(this.key),
      target: "_blank",
      rel: "noopener",
      text: label,
    });
  };

  Thread.prototype.renderThread = function () {
    var byId = {};
    var children = {};
    this.comments.forEach(function (c) {
      byId[c.id] = c;
    });
    this.roots = [];
    this.comments.forEach(function (c) {
      if (c.parent_id !== null && byId[c.parent_id]) {
        (children[c.parent_id] = children[c.parent_id] || []).push(c);
      } else {
        this.roots.push(c);
      }
    }, this);
    this.byId = byId;
    this.children = children;
    this.list.replaceChildren();
    this.shown = 0;
    if (!this.roots.length) {
      this.list.append(el("li", { class: "cd-empty", text: "No comments have been published yet." }));
    }
    this.renderMore();
  };

  Thread.prototype.renderMore = function () {
    var next = this.roots.slice(this.shown, this.shown + PAGE);
    next.forEach(function (c) {
      this.list.append(this.renderComment(c, null));
    }, this);
    this.shown += next.length;
    this.more.hidden = this.shown >= this.roots.length;
  };

  Thread.prototype.renderComment = function (c, under) {
    var self = this;
    var meta = el("header", { class: "cd-meta" }, [el("span", { class: "cd-author", text: c.author })]);
    if (c.featured) {
      meta.append(el("span", { class: "cd-badge", text: "Featured" }));
    }
    meta.append(when(c.created_at));
    var article = el("article", { class: "cd-comment" + (c.featured ? " cd-featured" : ""), id: this.id("c" + c.id) }, [meta]);
    var answers = c.reply_to_id && c.reply_to_id !== under ? this.byId[c.reply_to_id] : null;
    if (answers) {
      article.append(el("p", { class: "cd-answers", text: "In reply to " + answers.author }));
    }
    article.append(el("div", { class: "cd-body" }, [linkified(c.body)]));
    if (c.edited_by_moderator) {
      var note = "Edited by a moderator" + (c.edit_reason ? ": " + c.edit_reason : "");
      article.append(el("p", { class: "cd-edited", text: note }));
    }
    var reply = el("button", {
      type: "button",
      class: "cd-link",
      text: "Reply",
      "aria-label": "Reply to " + c.author,
    });
    reply.addEventListener("click", function () {
      self.setReply(c);
    });
    var report = el("a", {
      href: BASE + "/articles/" + encodeURIComponent(this.key) + "/comments/" + c.id + "/report",
      target: "_blank",
      rel: "nofollow noopener",
      text: "Report",
    });
    article.append(el("footer", { class: "cd-actions" }, [reply, report]));
    var item = el("li", { class: "cd-item" }, [article]);
    var kids = this.children[c.id] || [];
    if (kids.length) {
      item.append(
        el(
          "ol",
          { class: "cd-replies" },
          kids.map(function (kid) {
            return self.renderComment(kid, c.id);
          })
        )
      );
    }
    return item;
  };

  Thread.prototype.setReply = function (comment) {
    this.parent = comment;
    this.heading.textContent = comment ? "Reply to " + comment.author : "Write a comment";
    this.quote.replaceChildren(comment ? linkified(comment.body) : "");
    this.quote.hidden = !comment;
    this.cancel.hidden = !comment;
    if (comment) {
      this.compose.scrollIntoView({ block: "start" });
      this.body.focus();
    }
  };

  Thread.prototype.clearErrors = function () {
    this.problem.hidden = true;
    this.form.querySelectorAll(".cd-error").forEach(function (node) {
      node.hidden = true;
      node.textContent = "";
    });
    this.form.querySelectorAll("[aria-invalid]").forEach(function (node) {
      node.removeAttribute("aria-invalid");
      if (document.getElementById(node.id + "-hint")) {
        node.setAttribute("aria-describedby", node.id + "-hint");
      } else {
        node.removeAttribute("aria-describedby");
      }
    });
  };

  Thread.prototype.showFieldError = function (name, message) {
    var control = document.getElementById(this.id(name));
    var error = document.getElementById(this.id(name) + "-error");
    if (!control || !error) {
      return false;
    }
    error.textContent = message;
    error.hidden = false;
    error.setAttribute("role", "alert");
    control.setAttribute("aria-invalid", "true");
    var hint = document.getElementById(control.id + "-hint");
    control.setAttribute("aria-describedby", (hint ? hint.id + " " : "") + error.id);
    control.focus();
    return true;
  };

  Thread.prototype.showProblem = function (message, extra) {
    this.problem.replaceChildren(el("p", { text: message }));
    if (extra) {
      this.problem.append(el("p", {}, [extra]));
    }
    this.problem.hidden = false;
  };

  Thread.prototype.showNotice = function (strong, more) {
    this.notice.replaceChildren(el("p", {}, [el("strong", { text: strong }), more || ""]));
    this.notice.hidden = false;
    this.notice.focus();
  };

  Thread.prototype.submit = async function () {
    this.clearErrors();
    var root = this.root;
    var payload = {
      author: this.author.value,
      body: this.body.value,
      email: this.email.value.trim() ? this.email.value : null,
      parent_id: this.parent ? this.parent.id : null,
      accept_terms: this.terms.checked,
      url: root.getAttribute("data-commentdesk-url") || location.origin + location.pathname,
      title: root.getAttribute("data-commentdesk-title") || document.title,
    };
    var signature = JSON.stringify(payload);
    if (!this.attempt || this.attempt.signature !== signature) {
      this.attempt = { signature: signature, key: newKey() };
    }
    this.button.disabled = true;
    var answer;
    try {
      answer = await call("POST", "/api/v1/articles/" + encodeURIComponent(this.key) + "/comments", payload, {
        "Idempotency-Key": this.attempt.key,
        "X-Commenter-Key": commenterKey(),
      });
    } catch (err) {
      answer = { status: 0, data: null };
    }
    this.button.disabled = false;
    if (answer.status === 202) {
      this.posted(payload, answer.data);
      return;
    }
    var error = (answer.data && answer.data.error) || {};
    if (!answer.status) {
      this.showProblem(TEXT.offline);
    } else if (error.code === "comments_closed") {
      this.close();
    } else if (!error.field || !this.showFieldError(error.field, error.message)) {
      this.showProblem(error.message || TEXT.offline);
    }
  };

  Thread.prototype.posted = function (payload, data) {
    this.attempt = null;
    this.body.value = "";
    this.updateCounter();
    var replyTo = this.parent;
    this.setReply(null);
    if (data.state === "pending") {
      this.own.push({
        id: data.id,
        token: data.edit_token,
        until: data.editable_until,
        author: payload.author.trim(),
        body: payload.body.trim(),
        created: new Date().toISOString(),
        replyTo: replyTo ? replyTo.author : null,
      });
      saveOwn(this.key, this.own);
      this.renderOwn();
      this.showNotice(TEXT.held, TEXT.heldMore);
    } else {
      this.showNotice(TEXT.published);
      this.load();
    }
  };

  Thread.prototype.close = function () {
    this.showProblem(TEXT.closed);
    this.button.hidden = true;
    this.body.readOnly = true;
  };

  Thread.prototype.renderOwn = function () {
    var section = this.ownSection;
    section.replaceChildren();
    section.hidden = !this.own.length;
    if (!this.own.length) {
      return;
    }
    section.append(
      el("h2", { class: "cd-h2", text: "Your comments awaiting review" }),
      el("p", { class: "cd-hint", text: "Only you can see these, in this browser tab, until a moderator publishes them." })
    );
    var list = el("ol", { class: "cd-thread" });
    this.own.forEach(function (item) {
      list.append(this.renderOwnItem(item));
    }, this);
    section.append(list);
  };

  Thread.prototype.renderOwnItem = function (item) {
    var self = this;
    var open = Date.now() < new Date(item.until).getTime();
    var article = el("article", { class: "cd-comment cd-pending", id: this.id("own-" + item.id) }, [
      el("header", { class: "cd-meta" }, [
        el("span", { class: "cd-author", text: item.author }),
        el("span", { class: "cd-badge cd-badge-pending", text: "Awaiting review" }),
        when(item.created),
      ]),
    ]);
    if (item.replyTo) {
      article.append(el("p", { class: "cd-answers", text: "In reply to " + item.replyTo }));
    }
    article.append(el("div", { class: "cd-body" }, [linkified(item.body)]));
    if (!open) {
      article.append(el("p", { class: "cd-window", text: "The time to change it has passed; it is with the moderators now." }));
      return el("li", { class: "cd-item" }, [article]);
    }
    var until = new Date(item.until).toLocaleTimeString(LOCALE, { timeStyle: "short" });
    article.append(el("p", { class: "cd-window", text: "You can edit or delete it until " + until + "." }));
    var editor = el("textarea", { class: "cd-input", rows: "6", id: this.id("edit-" + item.id), "aria-label": "Your comment" });
    editor.value = item.body;
    var error = el("p", { class: "cd-error", role: "alert", hidden: true });
    var save = el("button", { type: "submit", class: "cd-button", text: "Save changes" });
    var editForm = el("form", { class: "cd-form", hidden: true }, [error, editor, el("p", { class: "cd-submit" }, [save])]);
    var edit = el("button", { type: "button", class: "cd-link", text: "Edit" });
    var remove = el("button", { type: "button", class: "cd-link", text: "Delete" });
    var confirm = el("button", { type: "button", class: "cd-button cd-danger", text: "Delete it", hidden: true });
    edit.addEventListener("click", function () {
      editForm.hidden = !editForm.hidden;
      if (!editForm.hidden) {
        editor.focus();
      }
    });
    remove.addEventListener("click", function () {
      confirm.hidden = !confirm.hidden;
    });
    editForm.addEventListener("submit", function (event) {
      event.preventDefault();
      self.change(item, "PATCH", { body: editor.value }, error);
    });
    confirm.addEventListener("click", function () {
      self.change(item, "DELETE", undefined, error);
    });
    article.append(el("div", { class: "cd-own-actions" }, [edit, remove, confirm]), editForm);
    return el("li", { class: "cd-item" }, [article]);
  };

  Thread.prototype.change = async function (item, method, body, errorNode) {
    var answer;
    try {
      answer = await call(method, "/api/v1/comments/" + item.id, body, { "X-Edit-Token": item.token });
    } catch (err) {
      answer = { status: 0, data: null };
    }
    if (answer.status === 200) {
      if (method === "PATCH") {
        item.body = answer.data.body;
      } else {
        this.own = this.own.filter(function (other) {
          return other.id !== item.id;
        });
      }
      saveOwn(this.key, this.own);
      this.renderOwn();
      this.showNotice(method === "PATCH" ? TEXT.edited : TEXT.deleted);
      return;
    }
    var error = (answer.data && answer.data.error) || {};
    errorNode.textContent = error.message || TEXT.offline;
    errorNode.hidden = false;
    if (answer.status === 409 || answer.status === 403 || answer.status === 404) {
      this.own = this.own.filter(function (other) {
        return other.id !== item.id;
      });
      saveOwn(this.key, this.own);
    }
  };

  function start() {
    var link = document.querySelector('link[data-commentdesk-style]');
    if (!link) {
      link = el("link", { rel: "stylesheet", href: BASE + "/embed.css", "data-commentdesk-style": "" });
      document.head.append(link);
    }
    document.querySelectorAll("[data-commentdesk-article]").forEach(function (root) {
      new Thread(root).mount();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
