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

// Sections whose content costs a separate query (related articles) arrive as server-rendered,
// server-escaped HTML fragments from our own origin.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-fragment]").forEach(function (section) {
    var src = section.getAttribute("data-fragment");
    if (!src || src.charAt(0) !== "/") { return; }
    fetch(src, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (resp) { if (!resp.ok) { throw new Error(String(resp.status)); } return resp.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        section.replaceChildren.apply(section, Array.from(stripActive(doc.body).childNodes));
        section.classList.add("loaded");
      })
      .catch(function () { /* keep the link */ });
  });
});
