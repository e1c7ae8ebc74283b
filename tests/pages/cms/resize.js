  addEventListener("message", function (event) {
    if (event.origin !== "{{SERVICE}}") return;      // only the glossary's cards
    var data = event.data;
    if (!data || data.type !== "term-card:height") return;
    document.querySelectorAll("iframe").forEach(function (frame) {
      if (frame.contentWindow === event.source) frame.style.height = data.height + "px";
    });
  });
