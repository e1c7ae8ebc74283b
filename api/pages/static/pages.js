// Progressive enhancement for the glossary's pages; everything works without it.
// Copy buttons on code snippets, in the page's words (data-copy-label, data-copied,
// data-copy-failed); the live example's script (data-embed-script) fetched only when the
// folded developer section is opened.
(function () {
  "use strict";

  function addCopyButton(block, index) {
    if (!navigator.clipboard) return;
    var words = block.closest("[data-copy-label]") || block;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = words.getAttribute("data-copy-label") || "Copy code";
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    status.id = "copy-status-" + index;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(block.textContent).then(
        function () { status.textContent = words.getAttribute("data-copied") || "Copied"; },
        function () { status.textContent = words.getAttribute("data-copy-failed"); }
      );
    });
    block.after(button, status);
  }

  function loadWhenOpened(details) {
    function load() {
      if (!details.open || details.hasAttribute("data-loaded")) return;
      details.setAttribute("data-loaded", "");
      var script = document.createElement("script");
      script.src = details.getAttribute("data-embed-script");
      document.head.append(script);
    }
    details.addEventListener("toggle", load);
    load();
  }

  document.querySelectorAll("pre[data-copy]").forEach(addCopyButton);
  document.querySelectorAll("details[data-embed-script]").forEach(loadWhenOpened);
})();
