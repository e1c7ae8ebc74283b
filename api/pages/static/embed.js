/*
 * <glossary-term>: a definition popover for any web page.
 *
 *   <script src="https://HOST/embed.js" defer></script>
 *   <glossary-term term="consultation"><a href="https://HOST/concepts/consultation">consultation</a></glossary-term>
 *
 * Without JavaScript the element is the link inside it. With it, the word becomes a button
 * that opens a small non-modal dialog with the definition and a link to the full entry:
 * by hovering with a mouse, by clicking or tapping, or with Enter / Space from the keyboard;
 * Escape closes it and returns focus to the word. Definitions are fetched as JSON (CORS)
 * from the service this script was loaded from, once per page. Styles live in a shadow
 * root, so nothing leaks into (or out of) the host page, and no inline style is needed.
 * Without a `term` attribute, the element's text is looked up as a label.
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

  var CSS = [
    ":host { display: inline; }",
    ":host([hidden]) { display: none; }",
    ".term { font: inherit; color: inherit; background: none; border: 0; margin: 0; padding: 0;",
    "  text-decoration: underline dotted; text-decoration-thickness: 0.1em; text-underline-offset: 0.2em;",
    "  cursor: help; }",
    ".term:hover { text-decoration-style: solid; }",
    ".term:focus-visible, .panel:focus-visible, a:focus-visible, .close:focus-visible {",
    "  outline: 3px solid #1b1b1b; outline-offset: 2px; box-shadow: 0 0 0 6px #ffdd00; }",
    ".panel { position: fixed; inset: auto; margin: 0; z-index: 2147483000; box-sizing: border-box;",
    "  width: max-content; max-width: min(24rem, calc(100vw - 16px)); padding: 0.75rem 1rem;",
    "  background: #ffffff; color: #1b1b1b; border: 1px solid #767676; border-radius: 4px;",
    "  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.25); font-size: 1rem; font-style: normal;",
    "  font-weight: 400; line-height: 1.45; letter-spacing: normal; text-align: left;",
    "  text-transform: none; white-space: normal; overflow: visible; }",
    ".panel[hidden] { display: none; }",
    ".head { display: flex; align-items: flex-start; justify-content: space-between; gap: 0.75rem; }",
    ".title { margin: 0; font-weight: 700; font-size: 1.05rem; }",
    ".definition { margin: 0.35rem 0 0.5rem; }",
    ".more { margin: 0; }",
    "a { color: #0b4f8a; }",
    ".close { font: inherit; min-width: 24px; min-height: 24px; padding: 0 0.4rem; line-height: 1;",
    "  background: #ffffff; color: #1b1b1b; border: 1px solid #767676; border-radius: 3px; cursor: pointer; }",
    ".close:hover { background: #f3f5f7; }",
    ".visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;",
    "  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }",
  ].join("\n");

  var TEMPLATE = [
    '<button class="term" type="button" part="term" aria-expanded="false" aria-controls="panel"></button>',
    '<div class="panel" id="panel" part="popover" role="dialog" aria-labelledby="title" tabindex="-1" hidden>',
    '  <div class="head"><p class="title" id="title"></p>',
    '    <button class="close" type="button" aria-label="Close">\u00d7</button></div>',
    '  <p class="definition" aria-live="polite"></p>',
    '  <p class="more"><a></a></p>',
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

  function fetchJSON(url) {
    var key = url.href;
    if (!cache.has(key)) {
      var request = fetch(key, {
        headers: { Accept: "application/json" },
        mode: "cors",
        credentials: "omit",
      }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
      // A failure is not cached: the next opening tries again.
      request.catch(function () { cache.delete(key); });
      cache.set(key, request);
    }
    return cache.get(key);
  }

  function withLanguage(url, lang) {
    if (lang && LANGUAGE_TAG.test(lang)) url.searchParams.set("lang", lang);
    return url;
  }

  function conceptURL(term) {
    return new URL("concepts/" + encodeURIComponent(term), BASE);
  }

  function loadConcept(term, label, lang) {
    if (term) return fetchJSON(withLanguage(conceptURL(term), lang));
    // The author's words may be in any language: look them up without a language filter.
    var lookup = new URL("lookup", BASE);
    lookup.searchParams.set("label", label);
    return fetchJSON(lookup).then(function (found) {
      var first = found.items && found.items[0];
      if (!first) throw new Error("not found");
      return fetchJSON(withLanguage(conceptURL(first.concept.id), lang));
    });
  }

  function setText(element, text) {
    // A text is {value, language}; the language goes on the element that shows it.
    element.textContent = text ? text.value : "";
    if (text && text.language) element.setAttribute("lang", text.language);
    else element.removeAttribute("lang");
  }

  function withdrawn(term, replacements) {
    // A withdrawn (owl:deprecated) concept: say so, name what replaces it and link there.
    var better = replacements[0];
    var name = better ? (better.prefLabel ? better.prefLabel.value : better.iri) : "";
    setText(term._definition, {
      value: "This term is withdrawn" + (name ? "; use \u201c" + name + "\u201d instead." : "."),
    });
    if (better && better.id) term._link.href = conceptURL(better.id).href;
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
      holder.innerHTML = TEMPLATE; // a constant: no page or server data goes through innerHTML
      while (holder.firstChild) root.appendChild(holder.firstChild);
      this._button = root.querySelector(".term");
      this._panel = root.querySelector(".panel");
      this._title = root.querySelector(".title");
      this._definition = root.querySelector(".definition");
      this._link = root.querySelector(".more a");
      this._close = root.querySelector(".close");
      this._mode = null; // null (closed), "hover" or "click"
      this._timer = 0;
      this._loaded = false;
      this._usePopover = typeof this._panel.showPopover === "function";
      if (this._usePopover) {
        this._panel.setAttribute("popover", "manual");
        this._panel.removeAttribute("hidden");
      }
      this._bind(root);
    }

    connectedCallback() {
      // A script loaded before the element's content is parsed sees it empty: wait for it.
      if (!this._label() && document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", this._render.bind(this), { once: true });
      }
      this._render();
    }

    _render() {
      var label = this._label();
      this._button.textContent = label;
      this._title.textContent = label;
      var link = this.querySelector("a[href]");
      this._link.href = link ? link.href : this._pageURL();
      this._link.textContent = "Read the full entry";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " for \u201c" + label + "\u201d";
      this._link.appendChild(hidden);
    }

    disconnectedCallback() { this._hide(false); }

    attributeChangedCallback() { this._loaded = false; }

    _label() { return (this.textContent || "").replace(/\s+/g, " ").trim(); }

    _lang() {
      var holder = this.closest("[lang]");
      return holder ? holder.getAttribute("lang") : document.documentElement.lang;
    }

    _pageURL() {
      var term = this.getAttribute("term");
      return term ? conceptURL(term).href : new URL("pages/search?q=" + encodeURIComponent(this._label()), BASE).href;
    }

    _bind(root) {
      var self = this;
      this._button.addEventListener("click", function (event) {
        // detail is 0 for Enter / Space: move focus into the dialog so it is read out.
        self._activate(event.detail === 0);
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
      root.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && self._mode) {
          event.stopPropagation();
          self._hide(true);
        }
      });
      root.addEventListener("focusout", function (event) {
        if (self._mode === "click" && !composedContains(root, event.relatedTarget)) self._hide(false);
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
        this._mode = "click"; // a click on a hovered term keeps it open
        if (byKeyboard) this._panel.focus();
        return;
      }
      if (this._mode) this._hide(false);
      else this._show("click", byKeyboard);
    }

    _show(mode, focus) {
      this._mode = mode;
      this._button.setAttribute("aria-expanded", "true");
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
      this._button.setAttribute("aria-expanded", "false");
      if (this._usePopover) this._panel.hidePopover();
      else this._panel.hidden = true;
      document.removeEventListener("keydown", this._onDocumentKey);
      document.removeEventListener("pointerdown", this._onDocumentPointer);
      window.removeEventListener("scroll", this._onViewport, { capture: true });
      window.removeEventListener("resize", this._onViewport);
      if (returnFocus) this._button.focus();
    }

    _place() {
      // Below the word, kept inside the viewport; above it when there is no room below.
      var word = this._button.getBoundingClientRect();
      var panel = this._panel.getBoundingClientRect();
      var left = Math.max(8, Math.min(word.left, window.innerWidth - panel.width - 8));
      var top = word.bottom + 6;
      if (top + panel.height > window.innerHeight - 8 && word.top - panel.height - 6 > 8) {
        top = word.top - panel.height - 6;
      }
      this._panel.style.left = left + "px";
      this._panel.style.top = top + "px";
    }

    _load() {
      if (this._loaded) return;
      var self = this;
      this._definition.textContent = "Loading\u2026";
      loadConcept(this.getAttribute("term"), this._label(), this._lang()).then(
        function (concept) {
          self._loaded = true;
          setText(self._title, concept.prefLabel);
          if (concept.definition) setText(self._definition, concept.definition);
          else setText(self._definition, { value: "No definition is recorded for this term." });
          self._link.href = conceptURL(concept.id).href;
          if (concept.deprecated) withdrawn(self, concept.replacedBy || []);
          self._place();
        },
        function () {
          setText(self._definition, { value: "The definition could not be loaded." });
        }
      );
    }
  }

  window.customElements.define("glossary-term", TermElement);
})();
