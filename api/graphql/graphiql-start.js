// Starts GraphiQL on the page api/graphql/ide.py serves, with the files it serves next to
// it (React, ReactDOM, GraphiQL's browser bundle): nothing comes from a CDN, and the page
// needs no inline script. Queries go to the endpoint the page names; no subscriptions.
// GraphiQL's editors are CodeMirror text areas without a label: each gets one (WCAG 4.1.2).
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var fetcher = GraphiQL.createFetcher({ url: root.getAttribute("data-endpoint") });

  function name(area) {
    if (area.readOnly) return "Response";
    if (area.closest(".graphiql-query-editor")) return "Query";
    var tool = area.closest(".graphiql-editor-tool .graphiql-editor");
    if (tool && tool.parentElement && tool.parentElement.children[1] === tool) return "Headers";
    return "Variables";
  }

  function label() {
    root.querySelectorAll("textarea:not([aria-label])").forEach(function (area) {
      area.setAttribute("aria-label", name(area));
    });
  }

  new MutationObserver(label).observe(root, { childList: true, subtree: true });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: "{\n  concepts(first: 5) {\n    totalCount\n    nodes {\n      id\n      prefLabel\n    }\n  }\n}\n",
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true
    })
  );
})();
