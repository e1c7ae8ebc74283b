/* The card tells the page that frames it how tall it is, so the frame can fit its text.
 * Message (to the parent window, every time the card's height changes):
 *   {"type": "term-card:height", "height": <CSS px, integer>, "href": "<this card's URL>"}
 * Target origin "*": the card may be framed by any site (frame-ancestors *) and cannot know
 * the host's origin; the message holds only the card's height and its public URL, so no
 * site learns anything it could not fetch itself. The host checks event.origin (this
 * service) and event.source (its iframe) before it trusts the message: docs/pages.md. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function tell() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "term-card:height", height: height, href: location.href }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.documentElement);
  window.addEventListener("load", tell);
  tell();
})();
