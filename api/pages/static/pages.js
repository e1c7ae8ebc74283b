// Progressive enhancement for the glossary's pages: copy buttons on code snippets.
// Everything works without this script; it only adds conveniences. Its words come from the
// page (data-copy-label, data-copied, data-copy-failed), in the page's interface language.
(function () {
  "use strict";

  function words(block) {
    var holder = block.closest("[data-copy-label]") || block;
    return {
      label: holder.getAttribute("data-copy-label") || "Copy code",
      copied: holder.getAttribute("data-copied") || "Copied",
      failed: holder.getAttribute("data-copy-failed") || "Copy failed: select the code and copy it"
    };
  }

  function addCopyButton(block, index) {
    if (!navigator.clipboard) return;
    var said = words(block);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = said.label;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    status.id = "copy-status-" + index;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(block.textContent).then(
        function () { status.textContent = said.copied; },
        function () { status.textContent = said.failed; }
      );
    });
    block.after(button, status);
  }

  document.querySelectorAll("pre[data-copy]").forEach(addCopyButton);
})();
