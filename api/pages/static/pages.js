// Progressive enhancement for the glossary's pages: copy buttons on code snippets.
// Everything works without this script; it only adds conveniences.
(function () {
  "use strict";

  function addCopyButton(block, index) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy code";
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    status.id = "copy-status-" + index;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(block.textContent).then(
        function () { status.textContent = "Copied"; },
        function () { status.textContent = "Copy failed: select the code and copy it"; }
      );
    });
    block.after(button, status);
  }

  document.querySelectorAll("pre[data-copy]").forEach(addCopyButton);
})();
