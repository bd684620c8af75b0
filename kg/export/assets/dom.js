/* DOM helpers shared by the offline views (graph, timeline, map), put in front of each page's script.
   Text only: every string reaches the DOM through textContent; a link is made only from an absolute
   http(s) URL with a host. */
var kgDom = (function () {
  "use strict";
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function byId(id) { return document.getElementById(id); }
  function safeUrl(value) {
    if (typeof value !== "string" || !value) { return null; }
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.host ? url.href : null;
    } catch (err) { return null; }
  }
  function link(text, url) {
    var safe = safeUrl(url);
    if (!safe) { return el("span", text); }
    var a = el("a", text);
    a.href = safe;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }
  return { el: el, clear: clear, byId: byId, safeUrl: safeUrl, link: link };
}());
