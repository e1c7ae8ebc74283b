// The annotator page (/annotate): after the form is sent, take the reader to the result,
// as GOV.UK pages do after a submission. The page works without this script: the form posts
// and the preview, pop-ups (embed.js) and copy buttons (pages.js) come with the answer.
(function () {
  "use strict";
  var heading = document.getElementById("preview-heading");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus();
})();
