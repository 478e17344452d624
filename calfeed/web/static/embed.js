/* calfeed widget. On a partner page:
 *   <div data-calfeed-src="https://kalender.example.no/api/v1/events?feed=frister&limit=5"
 *        data-lang="nb" data-compact data-more></div>
 *   <script src="https://kalender.example.no/embed.js" defer></script>
 * Renders the API's items as a list inside a Shadow DOM (no styles leak in or out). Text from
 * the API is only ever inserted as text, and only http(s) links become hrefs.
 * Themed by --calfeed-* custom properties (README), which cross the shadow boundary.
 * data-more: a "see all" link, to its value or the calendar's page of the same view.
 * window.calfeedWidget.scan() renders elements added later.
 */
(function () {
  "use strict";
  var WORDS = {
    nb: {
      locale: "nb-NO", list: "Kalender", loading: "Henter kalenderen …",
      empty: "Ingen kommende oppføringer.",
      error: "Kalenderen kunne ikke hentes akkurat nå. Prøv igjen senere.",
      subscribe: "Abonner på kalenderen", cancelled: "AVLYST: ", today: "Frist i dag",
      one: "1 dag igjen", many: " dager igjen", closed: "Fristen er ute",
      tentative: "Foreløpig", ended: "Avsluttet", more: "Se hele kalenderen"
    },
    en: {
      locale: "en-GB", list: "Calendar", loading: "Loading the calendar …",
      empty: "Nothing coming up.",
      error: "The calendar could not be loaded just now. Please try again later.",
      subscribe: "Subscribe to the calendar", cancelled: "CANCELLED: ", today: "Due today",
      one: "1 day left", many: " days left", closed: "Closed",
      tentative: "Tentative", ended: "Ended", more: "See the whole calendar"
    }
  };
  // Every colour, font and spacing is a custom property with a default.
  var CSS =
    ":host{display:block;color:var(--calfeed-text,inherit);" +
    "font-family:var(--calfeed-font,inherit);font-size:var(--calfeed-size,inherit)}" +
    "ul{list-style:none;margin:0;padding:0}" +
    "li{padding:var(--calfeed-gap,.6em) 0;border-bottom:1px solid var(--calfeed-border,#8885)}" +
    ".compact li{padding:calc(var(--calfeed-gap,.6em) / 2) 0}" +
    ".when,.meta{display:block;font-size:.875em;color:var(--calfeed-muted,inherit)}" +
    ".title{display:block;font-weight:600}" +
    "a{color:var(--calfeed-link,inherit)}" +
    ".cancelled .title a,.cancelled .title span{text-decoration:line-through}" +
    ".ended .title{font-weight:400}" +
    ".left,.mark{display:inline-block;margin:.2em .3em 0 0;padding:0 .4em;border:1px solid;" +
    "border-radius:.3em;font-size:.875em}" +
    ".mark{background:var(--calfeed-badge,transparent);color:var(--calfeed-badge-text,inherit)}" +
    ".status{margin:.5em 0}.sub,.more{margin:.75em 0 0}";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value, document.baseURI);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href, text, cls) {
    var url = safeUrl(href);
    if (!url) return el("span", cls, text);
    var a = el("a", cls, text);
    a.href = url;
    return a;
  }

  function day(text) {
    var p = String(text).split("-");
    return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
  }

  function formatter(w, options, zone) {
    try {
      options.timeZone = zone;
      return new Intl.DateTimeFormat(w.locale, options);
    } catch (e) {
      delete options.timeZone; // an unknown zone: the reader's own is better than nothing
      return new Intl.DateTimeFormat(w.locale, options);
    }
  }

  function when(item, w) {
    var opts = { day: "numeric", month: "short", year: "numeric" };
    if (item.all_day) {
      // Calendar days, not instants: format them in UTC so no zone moves them.
      var fmt = formatter(w, opts, "UTC");
      var s = day(item.start), e = day(item.end);
      if (+s === +e) return fmt.format(s);
      return fmt.formatRange ? fmt.formatRange(s, e) : fmt.format(s) + "–" + fmt.format(e);
    }
    opts.hour = "2-digit";
    opts.minute = "2-digit";
    opts.timeZoneName = "short"; // the entry's own zone: a New York webinar says so
    return formatter(w, opts, item.timezone).format(new Date(item.start));
  }

  function countdown(item, w) {
    if (item.days_left === 0) return w.today;
    if (item.days_left === 1) return w.one;
    if (typeof item.days_left === "number") return item.days_left + w.many;
    return w.closed;
  }

  function localDay(now) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // Over by the reader's clock; a deadline when the API says it is closed.
  function ended(item, now) {
    if (item.type === "deadline") return item.open === false;
    if (item.all_day) return String(item.end) < localDay(now);
    var end = new Date(item.end);
    return !isNaN(end) && end <= now;
  }

  function entry(item, w, compact, now) {
    var over = ended(item, now);
    var li = el("li", (item.status === "cancelled" ? "cancelled" : "") + (over ? " ended" : ""));
    var time = el("time", "when", when(item, w));
    time.setAttribute("datetime", String(item.start));
    li.appendChild(time);
    var title = el("span", "title");
    if (item.status === "cancelled") title.appendChild(document.createTextNode(w.cancelled));
    var name = link(item.links && item.links.html, item.title);
    // A title with no translation is in the calendar's language: screen readers say it so.
    if (item.fallback && item.fallback.title) name.lang = item.fallback.title;
    title.appendChild(name);
    li.appendChild(title);
    var meta = [];
    if (!compact && item.type_label) meta.push(item.type_label);
    if (item.location) meta.push(item.location);
    if (!compact && item.organizer) meta.push(item.organizer);
    if (meta.length) li.appendChild(el("span", "meta", meta.join(" · ")));
    if (item.status === "tentative") li.appendChild(el("span", "mark tentative", w.tentative));
    // A withdrawn deadline: no countdown (as on calfeed's pages).
    if (item.type === "deadline" && item.status !== "cancelled") {
      li.appendChild(el("span", "left", countdown(item, w)));
    } else if (over) {
      li.appendChild(el("span", "mark ended", w.ended));
    }
    return li;
  }

  function show(root, content) {
    while (root.lastChild && root.lastChild.nodeName !== "STYLE") {
      root.removeChild(root.lastChild);
    }
    root.appendChild(content);
  }

  function status(text, w) {
    var p = el("p", "status", text);
    p.setAttribute("role", "status");
    p.setAttribute("lang", w.lang);
    return p;
  }

  // The calendar's page of the API URL's view (an empty data-more).
  function pageFor(src) {
    var api = new URL(src);
    var page = new URL("/", api);
    ["feed", "type", "tag", "source", "q"].forEach(function (key) {
      api.searchParams.getAll(key).forEach(function (v) { page.searchParams.append(key, v); });
    });
    return page.href;
  }

  function render(root, data, w, opts) {
    var compact = opts.compact;
    var box = el("div", compact ? "compact" : "");
    box.setAttribute("lang", w.lang);
    var items = data && Array.isArray(data.items) ? data.items : [];
    if (!items.length) {
      box.appendChild(status(w.empty, w));
    } else {
      var list = el("ul");
      list.setAttribute("aria-label", (data.feed && data.feed.title) || w.list);
      var now = new Date();
      for (var i = 0; i < items.length; i++) list.appendChild(entry(items[i], w, compact, now));
      box.appendChild(list);
    }
    if (opts.more !== null) {
      var more = safeUrl(opts.more || pageFor(opts.src));
      if (more) {
        var m = el("p", "more");
        m.appendChild(link(more, w.more));
        box.appendChild(m);
      }
    }
    var sub = data && data.subscribe && data.subscribe.https;
    if (safeUrl(sub)) {
      var p = el("p", "sub");
      p.appendChild(link(sub, w.subscribe));
      box.appendChild(p);
    }
    show(root, box);
  }

  function style(root) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet]; // not an inline <style>: a partner's CSP allows it
    } catch (e) {
      root.appendChild(el("style", null, CSS));
    }
  }

  function load(host) {
    var lang = (host.getAttribute("data-lang") || document.documentElement.lang || "nb")
      .slice(0, 2).toLowerCase();
    var w = WORDS[lang] || WORDS.en;
    w.lang = WORDS[lang] ? lang : "en";
    var compact = host.hasAttribute("data-compact");
    var more = host.hasAttribute("data-more") ? host.getAttribute("data-more") : null;
    var root;
    try {
      root = host.attachShadow({ mode: "open" });
    } catch (e) {
      return; // already rendered, or an element that cannot host a shadow root
    }
    style(root);
    show(root, status(w.loading, w));
    var src = safeUrl(host.getAttribute("data-calfeed-src"));
    if (!src) {
      show(root, status(w.error, w));
      return;
    }
    var url = new URL(src);
    if (!url.searchParams.has("lang")) url.searchParams.set("lang", w.lang);
    fetch(url.href, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        render(root, data, w, { compact: compact, more: more, src: src });
      })
      .catch(function () {
        show(root, status(w.error, w));
      });
  }

  function scan() {
    var hosts = document.querySelectorAll("[data-calfeed-src]");
    for (var i = 0; i < hosts.length; i++) {
      if (!hosts[i].shadowRoot) load(hosts[i]);
    }
  }

  window.calfeedWidget = { scan: scan };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
