/*
 * <glossary-term>: a term of this service's vocabulary, explained in a pop-up, on any page.
 *
 *   <script src="https://HOST/embed.js" defer></script>
 *   <glossary-term term="consultation"><a href="https://HOST/concepts/consultation">consultation</a></glossary-term>
 *
 * The term stays part of the host's sentence: its link (the host's own, styled by the
 * host) or its text becomes the control that opens a non-modal dialog, by hover, click,
 * tap or Enter / Space; Escape closes it. Entries come from the service that served this
 * script (JSON, CORS; an entry without a definition also from its card), once per page.
 * Styles live in a shadow root; hooks (::part, custom properties): docs/pages.md.
 */
(function () {
  "use strict";

  if (!window.customElements || window.customElements.get("glossary-term")) return;

  var script = document.currentScript || document.querySelector('script[src*="embed.js"]');
  // The service is wherever this script came from; that makes it work on any origin.
  var BASE = new URL(".", (script && script.src) || window.location.href);
  var LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
  var HOVER_OPEN_MS = 150;
  var HOVER_CLOSE_MS = 300;
  var cache = new Map();
  // The interface's words by language; the service puts in every catalogue's (embeds.py).
  var WORDS = /*words*/{"en": {"more": "Read the full entry", "for": "for \u201c%s\u201d",
    "close": "Close", "loading": "Loading\u2026", "unknown": "There is no entry for \u201c%s\u201d.",
    "search": "Search for \u201c%s\u201d", "failed": "The entry could not be loaded. Please try again.",
    "withdrawn": "This term is withdrawn", "use": "This term is withdrawn; use %(replacements)s instead."}}/*end*/;

  // A message with its one placeholder (%s or %(name)s, as in the catalogue) filled in.
  function fill(message, value) { return message.replace(/%(\(\w+\))?s/, function () { return value; }); }

  var CSS = [
    ":host { display: inline; }",
    ":host([hidden]) { display: none; }",
    ".term[role=button] { cursor: help; text-decoration: var(--glossary-term-decoration, underline dotted);",
    "text-decoration-thickness: 0.1em; text-underline-offset: 0.2em; }",
    ".term[role=button]:hover { text-decoration-style: solid; }",
    ":focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; box-shadow: 0 0 0 6px #ffdd00; }",
    ".panel { position: fixed; inset: auto; margin: 0; z-index: 2147483000; box-sizing: border-box;",
    "width: max-content; max-width: min(var(--glossary-term-popover-width, 24rem), calc(100vw - 16px));",
    "max-height: calc(100vh - 16px); overflow: auto; padding: 0.75rem 1rem;",
    "font: normal 400 1rem/1.45 sans-serif; font-family: var(--glossary-term-popover-font, inherit);",
    "background: var(--glossary-term-popover-background, #ffffff); color: var(--glossary-term-popover-color, #1b1b1b);",
    "border: var(--glossary-term-popover-border, 1px solid #767676); border-radius: 4px;",
    "box-shadow: 0 4px 16px rgba(0,0,0,.25); letter-spacing: normal; text-align: start;",
    "text-transform: none; text-indent: 0; white-space: normal; }",
    ".panel[hidden] { display: none; }",
    ".head { display: flex; align-items: flex-start; justify-content: space-between; gap: 0.75rem; }",
    ".title { margin: 0; font-weight: 700; font-size: 1.05rem; }",
    ".body p { margin: 0.35rem 0 0.5rem; }",
    ".entry-notice { border-left: 4px solid #b1b4b6; padding-left: 0.6rem; }",
    ".more { margin: 0; }",
    "a { color: var(--glossary-term-link-color, #0b4f8a); }",
    ".close { font: inherit; min-width: 24px; min-height: 24px; padding: 0 0.4rem; line-height: 1;",
    "background: #ffffff; color: #1b1b1b; border: 1px solid #767676; border-radius: 3px; cursor: pointer; }",
    ".close:hover { background: #f3f5f7; }",
    ".visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;",
    "clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }",
  ].join("\n");

  // No whitespace between the slot and what follows it: the term keeps its punctuation.
  var TEMPLATE = [
    '<span class="term" part="term"><slot></slot></span>',
    '<div class="panel" id="panel" part="popover" role="dialog" aria-labelledby="title" tabindex="-1" hidden>',
    '<div class="head"><p class="title" id="title" part="title"></p>',
    '<button class="close" type="button" part="close">\u00d7</button></div>',
    '<div class="body" part="body" aria-live="polite"></div>',
    '<p class="more"><a part="more"></a></p>',
    "</div>",
  ].join("");

  var sheet = null;
  function styleRoot(root) {
    if ("adoptedStyleSheets" in Document.prototype && window.CSSStyleSheet) {
      // A constructed sheet is not an inline <style>, so a strict host CSP does not block it.
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
    } else {
      var style = document.createElement("style");
      style.textContent = CSS;
      root.appendChild(style);
    }
  }

  function NotFound() {}

  function fetchFrom(url, accept, read) {
    var key = url.href;
    if (!cache.has(key)) {
      var request = fetch(key, { headers: { Accept: accept }, mode: "cors", credentials: "omit" })
        .then(function (response) {
          if (response.status === 404) throw new NotFound();
          if (!response.ok) throw new Error("HTTP " + response.status);
          return read(response);
        });
      // A failure is not cached: the next opening tries again.
      request.catch(function () { cache.delete(key); });
      cache.set(key, request);
    }
    return cache.get(key);
  }

  function fetchJSON(url) {
    return fetchFrom(url, "application/json", function (r) { return r.json(); });
  }

  function withLanguage(url, lang) {
    if (lang && LANGUAGE_TAG.test(lang)) url.searchParams.set("lang", lang);
    return url;
  }

  function conceptURL(term, lang) {
    return withLanguage(new URL("concepts/" + encodeURIComponent(term), BASE), lang);
  }

  function loadConcept(term, label, lang) {
    if (term) return fetchJSON(conceptURL(term, lang));
    // The author's words may be in any language: look them up without a language filter.
    var lookup = new URL("lookup", BASE);
    lookup.searchParams.set("label", label);
    return fetchJSON(lookup).then(function (found) {
      var first = found.items && found.items[0];
      if (!first) throw new NotFound();
      return fetchJSON(conceptURL(first.concept.id, lang));
    });
  }

  // The card's account of an entry without a definition (api.pages.entry), copied node by
  // node: only these elements and attributes, links only to http(s), nothing run.
  var KEPT = { P: 1, SPAN: 1, A: 1, STRONG: 1 };
  function copy(node) {
    if (node.nodeType !== 1) return document.createTextNode(node.textContent);
    if (!KEPT[node.tagName]) return document.createTextNode(node.textContent);
    var out = document.createElement(node.tagName);
    ["lang", "class", "role"].forEach(function (name) {
      if (node.hasAttribute(name)) out.setAttribute(name, node.getAttribute(name));
    });
    if (node.tagName === "A" && /^https?:/i.test(node.getAttribute("href") || "")) {
      out.setAttribute("href", node.getAttribute("href"));
    }
    node.childNodes.forEach(function (child) { out.appendChild(copy(child)); });
    return out;
  }

  function loadEntry(id, lang) {
    var url = withLanguage(new URL("concepts/" + encodeURIComponent(id) + "/card", BASE), lang);
    return fetchFrom(url, "text/html", function (r) { return r.text(); }).then(function (html) {
      var card = new DOMParser().parseFromString(html, "text/html");
      return Array.prototype.filter.call(card.querySelectorAll("main > *"), function (node) {
        return !node.matches(".card-source, h1, .card-more");
      });
    });
  }

  function paragraph(text, lang) {
    var p = document.createElement("p");
    p.textContent = text;
    if (lang) p.setAttribute("lang", lang);
    return p;
  }

  function composedContains(root, node) {
    return !!node && (root.contains(node) || root.host.contains(node));
  }

  class TermElement extends HTMLElement {
    static get observedAttributes() { return ["term"]; }

    constructor() {
      super();
      var root = this.attachShadow({ mode: "open" });
      styleRoot(root);
      var holder = document.createElement("div");
      // a constant: no page or server data goes through innerHTML
      holder.innerHTML = TEMPLATE;
      while (holder.firstChild) root.appendChild(holder.firstChild);
      this._root = root;
      this._span = root.querySelector(".term");
      this._panel = root.querySelector(".panel");
      this._title = root.querySelector(".title");
      this._body = root.querySelector(".body");
      this._link = root.querySelector(".more a");
      this._close = root.querySelector(".close");
      this._control = null;
      this._mode = null; // null (closed), "hover" or "click"
      this._timer = 0;
      this._loaded = false;
      this._usePopover = typeof this._panel.showPopover === "function";
      if (this._usePopover) {
        this._panel.setAttribute("popover", "manual");
        this._panel.removeAttribute("hidden");
      }
      this._bind();
    }

    connectedCallback() {
      // A script loaded before the element's content is parsed sees it empty: wait for it.
      if (!this._label() && document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", this._render.bind(this), { once: true });
      }
      this._render();
    }

    _words() {
      // The nearest lang: Welsh words inside lang="cy", English where there are none.
      var tag = (this._lang() || "").toLowerCase().split("-")[0];
      return { tag: WORDS[tag] ? tag : "en", say: WORDS[tag] || WORDS.en };
    }

    _render() {
      var words = this._words();
      var label = this._label();
      var link = this.querySelector("a[href]");
      // The host's own link is the control, so it keeps the host's link style; plain text
      // becomes one in the shadow root, inline, in the host's font and colour.
      var control = link || this._span;
      if (this._control && this._control !== control) this._release(this._control);
      this._control = control;
      control.setAttribute("role", "button");
      control.setAttribute("aria-haspopup", "dialog");
      control.setAttribute("aria-expanded", this._mode ? "true" : "false");
      if (!link) {
        control.setAttribute("tabindex", "0");
        control.setAttribute("aria-controls", "panel");
      }
      this._panel.setAttribute("lang", words.tag);
      this._close.setAttribute("aria-label", words.say.close);
      this._title.textContent = label;
      this._link.href = link ? link.href : this._pageURL();
      this._link.textContent = words.say.more;
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + fill(words.say["for"], label);
      this._link.appendChild(hidden);
    }

    _release(control) {
      ["role", "aria-haspopup", "aria-expanded", "tabindex", "aria-controls"].forEach(function (name) {
        control.removeAttribute(name);
      });
    }

    disconnectedCallback() { this._hide(false); }

    attributeChangedCallback() { this._loaded = false; }

    _label() { return (this.textContent || "").replace(/\s+/g, " ").trim(); }

    _lang() {
      var holder = this.closest("[lang]");
      return holder ? holder.getAttribute("lang") : document.documentElement.lang;
    }

    _searchURL() {
      var url = new URL("pages/search", BASE);
      url.searchParams.set("q", this.getAttribute("term") || this._label());
      return url.href;
    }

    _pageURL() {
      var term = this.getAttribute("term");
      return term ? conceptURL(term).href : this._searchURL();
    }

    _bind() {
      var self = this;
      function isControl(event) {
        return self._control && event.composedPath().indexOf(self._control) !== -1;
      }
      // Events from the host's link and from the shadow root both reach the host element.
      this.addEventListener("click", function (event) {
        if (!isControl(event)) return;
        // A modified or middle click on the link still opens the entry's page.
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
        event.preventDefault();
        // detail is 0 for Enter / Space: move focus into the dialog so it is read out.
        self._activate(event.detail === 0);
      });
      this.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && self._mode) {
          event.stopPropagation();
          self._hide(true);
        } else if (isControl(event) && (event.key === " " || (event.key === "Enter" && self._control === self._span))) {
          // a link answers Enter itself, with a click
          event.preventDefault();
          self._activate(true);
        }
      });
      this._close.addEventListener("click", function () { self._hide(true); });
      this.addEventListener("pointerenter", function (event) {
        if (event.pointerType !== "mouse") return;
        self._schedule(function () { if (!self._mode) self._show("hover", false); }, HOVER_OPEN_MS);
      });
      this.addEventListener("pointerleave", function (event) {
        if (event.pointerType !== "mouse") return;
        self._schedule(function () { if (self._mode === "hover") self._hide(false); }, HOVER_CLOSE_MS);
      });
      this.addEventListener("focusout", function (event) {
        if (self._mode === "click" && !composedContains(self._root, event.relatedTarget)) self._hide(false);
      });
      this._onDocumentKey = function (event) {
        if (event.key === "Escape" && self._mode) self._hide(false);
      };
      this._onDocumentPointer = function (event) {
        if (self._mode && event.composedPath().indexOf(self) === -1) self._hide(false);
      };
      this._onViewport = function () { if (self._mode) self._place(); };
    }

    _schedule(action, delay) {
      window.clearTimeout(this._timer);
      this._timer = window.setTimeout(action, delay);
    }

    _activate(byKeyboard) {
      window.clearTimeout(this._timer);
      if (this._mode === "hover") {
        // a click on a hovered term keeps it open
        this._mode = "click";
        if (byKeyboard) this._panel.focus();
        return;
      }
      if (this._mode) this._hide(false);
      else this._show("click", byKeyboard);
    }

    _show(mode, focus) {
      this._mode = mode;
      this._control.setAttribute("aria-expanded", "true");
      if (this._usePopover) this._panel.showPopover();
      else this._panel.hidden = false;
      this._place();
      this._load();
      if (focus) this._panel.focus();
      document.addEventListener("keydown", this._onDocumentKey);
      document.addEventListener("pointerdown", this._onDocumentPointer);
      window.addEventListener("scroll", this._onViewport, { passive: true, capture: true });
      window.addEventListener("resize", this._onViewport, { passive: true });
    }

    _hide(returnFocus) {
      window.clearTimeout(this._timer);
      if (!this._mode) return;
      this._mode = null;
      this._control.setAttribute("aria-expanded", "false");
      if (this._usePopover) this._panel.hidePopover();
      else this._panel.hidden = true;
      document.removeEventListener("keydown", this._onDocumentKey);
      document.removeEventListener("pointerdown", this._onDocumentPointer);
      window.removeEventListener("scroll", this._onViewport, { capture: true });
      window.removeEventListener("resize", this._onViewport);
      if (returnFocus) this._control.focus();
    }

    _place() {
      // Below the term's last line, kept inside the viewport; above it when there is no room.
      var lines = this._control.getClientRects();
      var word = lines.length ? lines[lines.length - 1] : this._control.getBoundingClientRect();
      var panel = this._panel.getBoundingClientRect();
      var left = Math.max(8, Math.min(word.left, window.innerWidth - panel.width - 8));
      var top = word.bottom + 6;
      if (top + panel.height > window.innerHeight - 8 && word.top - panel.height - 6 > 8) {
        top = word.top - panel.height - 6;
      }
      this._panel.style.left = left + "px";
      this._panel.style.top = top + "px";
    }

    _say(nodes) {
      this._body.replaceChildren.apply(this._body, nodes);
      this._place();
    }

    _load() {
      if (this._loaded) return;
      var self = this;
      var words = this._words();
      var lang = this._lang();
      this._say([paragraph(words.say.loading)]);
      loadConcept(this.getAttribute("term"), this._label(), lang)
        .then(function (concept) {
          self._title.textContent = concept.prefLabel.value;
          if (concept.prefLabel.language) self._title.setAttribute("lang", concept.prefLabel.language);
          self._link.href = conceptURL(concept.id, lang).href;
          if (concept.deprecated) return [self._withdrawn(concept.replacedBy || [], words.say)];
          if (concept.definition) return [paragraph(concept.definition.value, concept.definition.language)];
          return loadEntry(concept.id, lang).then(function (nodes) { return nodes.map(copy); });
        })
        .then(
          function (nodes) {
            self._loaded = true;
            self._link.parentNode.hidden = false;
            self._say(nodes);
          },
          function (error) {
            if (!(error instanceof NotFound)) return self._say([paragraph(words.say.failed)]);
            // A misspelt term: say it is not there and offer a search, not an error.
            var name = self.getAttribute("term") || self._label();
            var search = document.createElement("a");
            search.href = self._searchURL();
            search.textContent = fill(words.say.search, name);
            var offer = document.createElement("p");
            offer.appendChild(search);
            // there is no entry to read
            self._link.parentNode.hidden = true;
            self._say([paragraph(fill(words.say.unknown, name)), offer]);
          }
        );
    }

    _withdrawn(replacements, say) {
      // A withdrawn (owl:deprecated) concept: say so, name what replaces it and link there.
      var better = replacements[0];
      var name = better ? (better.prefLabel ? better.prefLabel.value : better.iri) : "";
      if (better && better.id) this._link.href = conceptURL(better.id).href;
      return paragraph(name ? fill(say.use, "\u201c" + name + "\u201d") : say.withdrawn + ".");
    }
  }

  window.customElements.define("glossary-term", TermElement);
})();
