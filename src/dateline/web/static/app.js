// dateline UI: the only script the pages load (CSP: script-src 'self').
// Charts arrive as <img> of server-rendered SVG; here we inline them so their bars and
// points become real links (drill-down) with hover titles. Without JS the images still show.
"use strict";

function stripActive(node) {
  // Defence in depth: our SVG never holds scripts or handlers, but never insert any.
  node.querySelectorAll("script, foreignObject").forEach(function (el) { el.remove(); });
  node.querySelectorAll("*").forEach(function (el) {
    Array.from(el.attributes).forEach(function (attr) {
      var name = attr.name.toLowerCase();
      var value = String(attr.value).trim().toLowerCase();
      if (name.startsWith("on")) { el.removeAttribute(attr.name); }
      if ((name === "href" || name === "xlink:href") && !(value.startsWith("/") || value.startsWith("#"))) {
        el.removeAttribute(attr.name);
      }
    });
  });
  return node;
}

function inlineChart(img) {
  fetch(img.getAttribute("src"), { credentials: "same-origin" })
    .then(function (resp) {
      if (!resp.ok) { throw new Error("chart " + resp.status); }
      return resp.text();
    })
    .then(function (text) {
      var doc = new DOMParser().parseFromString(text, "image/svg+xml");
      var svg = doc.documentElement;
      if (!svg || svg.nodeName.toLowerCase() !== "svg") { return; }
      var node = stripActive(document.importNode(svg, true));
      node.setAttribute("role", "img");
      node.setAttribute("aria-label", img.getAttribute("alt") || "chart");
      node.classList.add("chart-inline");
      img.replaceWith(node);
    })
    .catch(function () { /* keep the <img> */ });
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("img.chart-svg").forEach(inlineChart);
});
