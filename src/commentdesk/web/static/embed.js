/* commentdesk embed.js: a publisher's comments, inline on its own pages.
 *
 * No framework, no build step, no request anywhere but the server this file came from
 * (and the folder of published threads, when the page names one).
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
 * canonical URL and title, for sites that create articles on first use), and
 * data-commentdesk-lang (the interface's language, when not the page's own <html lang>), and
 * data-commentdesk-section (the slug of one of the site's declared sections, for an
 * article made on first use; a slug the site has not declared is ignored), and
 * data-commentdesk-subscriber-token (a short-lived token the publisher signed for its
 * signed-in subscriber: comments are then posted under its name, marked "subscriber"; it
 * is read at each post, so the page may refresh it; docs/operations.md says how to sign it).
 * Without script (Tor Browser at "safest") the <noscript> frame shows the server-rendered
 * page, which works fully; the server lets only the site's own origins frame it or call
 * its API. Every node here is built with textContent, never innerHTML, so nothing a
 * reader wrote can become markup. Edit tokens of comments posted from this tab live in
 * sessionStorage, so the reader can fix or withdraw them until the tab is closed; a random
 * commenter key (for rate limits, never an identity) lives in localStorage.
 *
 * Optional too: data-commentdesk-static="https://static.example/comments/", the address
 * where the folder written by `commentdesk publish DIR` is served. Threads are then read
 * from its articles/KEY.json (the API's answer, byte for byte); when that file is missing
 * or unreadable the server answers instead, and posts always go to the server.
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
  /* The interface's language: the container's data-commentdesk-lang, else the host page's
     own <html lang>, else English. Times and numbers are written in it, and the server is
     asked (Accept-Language) for its error messages in it too, so a page never mixes two.
     Each language is one table below; the server's catalogs hold the same sentences. */
  var MESSAGES = {
    en: {
      promise:
        "Comments are written in plain text, reviewed by a moderator before they appear, " +
        "and may be edited by a moderator under the site's terms of use. " +
        "They do not appear in real time.",
      held: "Thank you. Your comment is held for review.",
      heldMore:
        " A moderator will read it before it appears, which can take a while. " +
        "Until then only you can see it, in this browser tab.",
      published: "Thank you. Your comment is published.",
      checking:
        "Thank you. Your comment will appear in a moment. It is checked automatically " +
        "first, and a moderator may still review it under the site's terms of use.",
      edited: "Your changes are saved. The comment is still awaiting review.",
      deleted: "Your comment is deleted. It will not be published.",
      closed: "Comments are closed on this article.",
      offline:
        "The comment server could not be reached. What you typed is kept; please try again.",
      loadFailed: "The comments could not be loaded here.",
      openPage: "Open the comments page",
      more: "Show more comments",
      comments: "Comments",
      write: "Write a comment",
      cancelReply: "Cancel the reply",
      send: "Send for review",
      pseudonym: "Pseudonym",
      nameRemoved: "Name removed",
      textRemoved: "Removed at the author's request.",
      pseudonymHint: "Shown with your comment: any name you like, up to 64 characters.",
      comment: "Comment",
      commentHint: "Plain text, up to 5,000 characters. Links are shown as text.",
      email: "Email (optional)",
      emailHint: "Used only to tell you about your comment; never shown to anyone.",
      acceptBefore: "I accept the ",
      terms: "terms of use",
      acceptAfter: " of this site.",
      none: "No comments have been published yet.",
      one: "1 comment",
      many: "{n} comments",
      featured: "Featured",
      subscriber: "Subscriber",
      subscriberAs: "You comment as {name}, a subscriber signed in on this site.",
      inReplyTo: "In reply to {author}",
      edited_by: "Edited by a moderator",
      editedBecause: "Edited by a moderator: {reason}",
      reply: "Reply",
      replyTo: "Reply to {author}",
      report: "Report",
      ownTitle: "Your comments awaiting review",
      ownHint: "Only you can see these, in this browser tab, until a moderator publishes them.",
      awaiting: "Awaiting review",
      tooLate: "The time to change it has passed; it is with the moderators now.",
      until: "You can edit or delete it until {time}.",
      yourComment: "Your comment",
      save: "Save changes",
      edit: "Edit",
      remove: "Delete",
      removeIt: "Delete it",
      justNow: "just now",
    },
    ko: {
      promise:
        "댓글은 일반 텍스트로만 작성할 수 있으며, 운영진의 검토를 거친 뒤 게시됩니다. " +
        "운영진은 사이트 이용약관에 따라 댓글을 수정할 수 있습니다. " +
        "댓글은 실시간으로 게시되지 않습니다.",
      held: "감사합니다. 댓글이 검토를 기다리고 있습니다.",
      heldMore:
        " 운영진이 읽은 뒤에 게시되며, 시간이 조금 걸릴 수 있습니다. " +
        "그때까지는 이 브라우저 탭에서 본인만 볼 수 있습니다.",
      published: "감사합니다. 댓글이 게시되었습니다.",
      checking:
        "감사합니다. 댓글이 잠시 후 게시됩니다. 먼저 자동 검사를 거치며, " +
        "운영진이 이용약관에 따라 다시 검토할 수 있습니다.",
      edited: "변경 내용을 저장했습니다. 댓글은 계속 검토를 기다리고 있습니다.",
      deleted: "댓글을 삭제했습니다. 게시되지 않습니다.",
      closed: "이 기사에는 더 이상 댓글을 달 수 없습니다.",
      offline: "댓글 서버에 연결할 수 없습니다. 입력한 내용은 그대로 있으니 다시 시도해 주세요.",
      loadFailed: "여기에서 댓글을 불러오지 못했습니다.",
      openPage: "댓글 페이지 열기",
      more: "댓글 더 보기",
      comments: "댓글",
      write: "댓글 쓰기",
      cancelReply: "답글 취소",
      send: "검토 요청하기",
      pseudonym: "닉네임",
      nameRemoved: "이름 삭제됨",
      textRemoved: "작성자의 요청으로 삭제되었습니다.",
      pseudonymHint: "댓글과 함께 표시됩니다. 원하는 이름을 64자 이내로 정하세요.",
      comment: "댓글",
      commentHint: "일반 텍스트로 5,000자까지 쓸 수 있습니다. 링크는 텍스트로 표시됩니다.",
      email: "이메일 (선택)",
      emailHint: "댓글 처리 결과를 알려 드릴 때만 쓰며, 누구에게도 공개하지 않습니다.",
      acceptBefore: "이 사이트의 ",
      terms: "이용약관",
      acceptAfter: "에 동의합니다.",
      none: "아직 게시된 댓글이 없습니다.",
      one: "댓글 1개",
      many: "댓글 {n}개",
      featured: "편집자 추천",
      subscriber: "구독자",
      subscriberAs: "{name} 님(이 사이트에 로그인한 구독자)으로 댓글을 씁니다.",
      inReplyTo: "{author} 님에게 단 답글",
      edited_by: "운영진이 수정함",
      editedBecause: "운영진이 수정함: {reason}",
      reply: "답글",
      replyTo: "{author} 님에게 답글 쓰기",
      report: "신고",
      ownTitle: "검토를 기다리는 내 댓글",
      ownHint: "운영진이 게시하기 전까지는 이 브라우저 탭에서 본인만 볼 수 있습니다.",
      awaiting: "검토 대기 중",
      tooLate: "수정할 수 있는 시간이 지났습니다. 이제 운영진이 검토합니다.",
      until: "{time}까지 수정하거나 삭제할 수 있습니다.",
      yourComment: "내 댓글",
      save: "변경 내용 저장",
      edit: "수정",
      remove: "삭제",
      removeIt: "삭제하기",
      justNow: "방금",
    },
  };
  var LOCALE = "en";

  /* The name in the host page's subscriber token, only to say who the form posts as:
     the server checks the token's signature and takes the name from it, not from us. */
  function subscriberName(root) {
    var token = root.getAttribute("data-commentdesk-subscriber-token");
    if (!token) {
      return null;
    }
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      var bytes = Uint8Array.from(atob(part), function (ch) { return ch.charCodeAt(0); });
      var name = JSON.parse(new TextDecoder().decode(bytes)).name;
      return typeof name === "string" && name.trim() ? name.trim() : "?";
    } catch (err) {
      return "?";
    }
  }
  var TEXT = MESSAGES.en;

  function chooseLanguage(root) {
    var asked = (root.getAttribute("data-commentdesk-lang") || document.documentElement.lang || "")
      .toLowerCase()
      .split("-")[0];
    LOCALE = MESSAGES[asked] ? asked : "en";
    TEXT = MESSAGES[LOCALE];
  }

  /* A sentence of the table with its {names} filled in (as text: el() never parses HTML). */
  function say(key, values) {
    return TEXT[key].replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

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
    var relative = TEXT.justNow;
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
    init.headers["Accept-Language"] = LOCALE;
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

  /* The thread as published to the container's static folder, or null (no folder, no
     file yet, or not a thread) so that the server is asked. A plain GET with no custom
     headers: cross-origin, it needs only Access-Control-Allow-Origin, never a preflight. */
  async function readPublished(root, key) {
    var folder = root.getAttribute("data-commentdesk-static");
    if (!folder) {
      return null;
    }
    try {
      var base = new URL(folder.replace(/\/?$/, "/"), document.baseURI);
      var file = new URL("articles/" + encodeURIComponent(key) + ".json", base);
      var response = await fetch(file, { credentials: "omit" });
      var data = response.status === 200 ? await response.json() : null;
      return data && Array.isArray(data.comments) && data.article ? { status: 200, data: data } : null;
    } catch (err) {
      return null;
    }
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
    chooseLanguage(root);
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
      text: TEXT.more,
      hidden: true,
    });
    this.more.addEventListener("click", this.renderMore.bind(this));
    root.append(
      el("header", { class: "cd-head" }, [el("h2", { class: "cd-title", text: TEXT.comments }), this.count]),
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
    this.heading = el("h2", { class: "cd-h2", text: TEXT.write });
    this.quote = el("blockquote", { class: "cd-quote", hidden: true });
    this.cancel = el("button", { type: "button", class: "cd-link", text: TEXT.cancelReply, hidden: true });
    this.cancel.addEventListener("click", function () {
      self.setReply(null);
    });
    this.author = el("input", { class: "cd-input", type: "text", autocomplete: "nickname", required: true });
    this.body = el("textarea", { class: "cd-input", rows: "6", required: true });
    this.email = el("input", { class: "cd-input", type: "email", autocomplete: "email" });
    this.terms = el("input", { type: "checkbox", value: "yes", required: true });
    this.counter = el("p", { class: "cd-hint cd-counter", "aria-live": "off" });
    this.body.addEventListener("input", this.updateCounter.bind(this));
    this.button = el("button", { class: "cd-button", type: "submit", text: TEXT.send });
    this.terms.id = id("accept_terms");
    this.terms.name = "accept_terms";
    var termsLink = el("a", {
      href: BASE + "/articles/" + encodeURIComponent(this.key) + "/terms",
      target: "_blank",
      rel: "noopener",
      text: TEXT.terms,
    });
    this.vouched = subscriberName(this.root);
    var who = this.vouched
      ? el("p", { class: "cd-field cd-subscriber-as", text: say("subscriberAs", { name: this.vouched }) })
      : field("author", TEXT.pseudonym, TEXT.pseudonymHint, this.author);
    var form = el("form", { class: "cd-form" }, [
      who,
      field("body", TEXT.comment, TEXT.commentHint, this.body),
      this.counter,
      field("email", TEXT.email, TEXT.emailHint, this.email),
      el("div", { class: "cd-field cd-check" }, [
        el("p", { class: "cd-error", id: id("accept_terms") + "-error", hidden: true }),
        this.terms,
        el("label", { for: id("accept_terms") }, [TEXT.acceptBefore, termsLink, TEXT.acceptAfter]),
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

  /* live: skip the published file (it may lag the server by a publishing interval). */
  Thread.prototype.load = async function (live) {
    var found = live ? null : await readPublished(this.root, this.key);
    try {
      found = found || (await call("GET", "/api/v1/articles/" + encodeURIComponent(this.key) + "/comments"));
    } catch (err) {
      found = { status: 0, data: null };
    }
    if (found.status === 404) {
      found = { status: 200, data: { comments: [], article: { count: 0 } } };
    }
    if (found.status !== 200 || !found.data) {
      this.showProblem(TEXT.loadFailed, this.pageLink(TEXT.openPage));
      return;
    }
    this.comments = found.data.comments;
    if (found.data.article.open === false) {
      this.close();
    }
    var count = found.data.article.count;
    this.count.textContent = count === 1 ? TEXT.one : say("many", { n: count.toLocaleString(LOCALE) });
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
      this.list.append(el("li", { class: "cd-empty", text: TEXT.none }));
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
    var name = c.erased
      ? el("span", { class: "cd-author cd-erased", text: TEXT.nameRemoved })
      : el("span", { class: "cd-author", text: c.author });
    var meta = el("header", { class: "cd-meta" }, [name]);
    if (c.subscriber) {
      meta.append(el("span", { class: "cd-badge cd-subscriber", text: TEXT.subscriber }));
    }
    if (c.featured) {
      meta.append(el("span", { class: "cd-badge", text: TEXT.featured }));
    }
    meta.append(when(c.created_at));
    var article = el("article", { class: "cd-comment" + (c.featured ? " cd-featured" : ""), id: this.id("c" + c.id) }, [meta]);
    var answers = c.reply_to_id && c.reply_to_id !== under ? this.byId[c.reply_to_id] : null;
    if (answers) {
      article.append(el("p", { class: "cd-answers", text: say("inReplyTo", { author: answers.author }) }));
    }
    article.append(
      c.text_removed
        ? el("p", { class: "cd-body cd-removed", text: TEXT.textRemoved })
        : el("div", { class: "cd-body" }, [linkified(c.body)])
    );
    if (c.edited_by_moderator) {
      var note = c.edit_reason ? say("editedBecause", { reason: c.edit_reason }) : TEXT.edited_by;
      article.append(el("p", { class: "cd-edited", text: note }));
    }
    var reply = el("button", {
      type: "button",
      class: "cd-link",
      text: TEXT.reply,
      "aria-label": say("replyTo", { author: c.author }),
    });
    reply.addEventListener("click", function () {
      self.setReply(c);
    });
    var report = el("a", {
      href: BASE + "/articles/" + encodeURIComponent(this.key) + "/comments/" + c.id + "/report",
      target: "_blank",
      rel: "nofollow noopener",
      text: TEXT.report,
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
    this.heading.textContent = comment ? say("replyTo", { author: comment.author }) : TEXT.write;
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
      section: root.getAttribute("data-commentdesk-section") || null,
      subscriber_token: root.getAttribute("data-commentdesk-subscriber-token") || null,
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
        author: this.vouched || payload.author.trim(),
        body: payload.body.trim(),
        created: new Date().toISOString(),
        replyTo: replyTo ? replyTo.author : null,
      });
      saveOwn(this.key, this.own);
      this.renderOwn();
      if (data.publishes_when_assessed) {
        this.showNotice(TEXT.checking);
      } else {
        this.showNotice(TEXT.held, TEXT.heldMore);
      }
    } else {
      this.showNotice(TEXT.published);
      this.load(true);
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
      el("h2", { class: "cd-h2", text: TEXT.ownTitle }),
      el("p", { class: "cd-hint", text: TEXT.ownHint })
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
        el("span", { class: "cd-badge cd-badge-pending", text: TEXT.awaiting }),
        when(item.created),
      ]),
    ]);
    if (item.replyTo) {
      article.append(el("p", { class: "cd-answers", text: say("inReplyTo", { author: item.replyTo }) }));
    }
    article.append(el("div", { class: "cd-body" }, [linkified(item.body)]));
    if (!open) {
      article.append(el("p", { class: "cd-window", text: TEXT.tooLate }));
      return el("li", { class: "cd-item" }, [article]);
    }
    var until = new Date(item.until).toLocaleTimeString(LOCALE, { timeStyle: "short" });
    article.append(el("p", { class: "cd-window", text: say("until", { time: until }) }));
    var editor = el("textarea", { class: "cd-input", rows: "6", id: this.id("edit-" + item.id), "aria-label": TEXT.yourComment });
    editor.value = item.body;
    var error = el("p", { class: "cd-error", role: "alert", hidden: true });
    var save = el("button", { type: "submit", class: "cd-button", text: TEXT.save });
    var editForm = el("form", { class: "cd-form", hidden: true }, [error, editor, el("p", { class: "cd-submit" }, [save])]);
    var edit = el("button", { type: "button", class: "cd-link", text: TEXT.edit });
    var remove = el("button", { type: "button", class: "cd-link", text: TEXT.remove });
    var confirm = el("button", { type: "button", class: "cd-button cd-danger", text: TEXT.removeIt, hidden: true });
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
