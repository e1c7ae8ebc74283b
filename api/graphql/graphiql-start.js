// Starts GraphiQL on the page api/graphql/ide.py serves, with the files it serves next to
// it (React, ReactDOM, GraphiQL's browser bundle): nothing comes from a CDN, and the page
// needs no inline script. Queries go to the endpoint the page names; no subscriptions.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var fetcher = GraphiQL.createFetcher({ url: root.getAttribute("data-endpoint") });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: "{\n  concepts(first: 5) {\n    totalCount\n    nodes {\n      id\n      prefLabel\n    }\n  }\n}\n",
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true
    })
  );
})();
