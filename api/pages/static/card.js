// Tells the page framing the card its height: docs/pages.md.
(function () {
  var last = 0;
  function tell() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last || parent === window) return;
    last = height;
    parent.postMessage({ type: "term-card:height", height: height, href: location.href }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.documentElement);
  tell();
})();
