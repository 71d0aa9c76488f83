// fawen page enhancements. The page works without this file: every cited article is a <details> that
// opens on its own. This only opens the article a citation link points to, and adds 全部展开 / 全部收起.
"use strict";

function openTarget(hash) {
  if (!hash || hash.length < 2) return null;
  var target = document.getElementById(decodeURIComponent(hash.slice(1)));
  var details = target && (target.tagName === "DETAILS" ? target : target.closest("details"));
  if (details) details.open = true;
  return details;
}

document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest('a[href^="#"]');
  if (link) openTarget(link.hash);
});

window.addEventListener("hashchange", function () { openTarget(location.hash); });

// A section's citation 《法》第X条 becomes a link to the basis article with the same label.
function linkCitations() {
  var byLabel = {};
  document.querySelectorAll("details.basis-article").forEach(function (d, i) {
    if (!d.id) d.id = "basis-" + (i + 1);
    var summary = d.querySelector("summary");
    if (summary) byLabel[summary.textContent.trim()] = d;
  });
  document.querySelectorAll("ul.citations li").forEach(function (li) {
    var target = byLabel[li.textContent.trim()];
    if (!target) return;
    var link = document.createElement("a");
    link.href = "#" + target.id;
    link.className = "cite";
    link.textContent = li.textContent;
    li.textContent = "";
    li.appendChild(link);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  linkCitations();
  openTarget(location.hash);
  var all = document.querySelectorAll("article.answer details");
  if (all.length < 2) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "toggle-all";
  button.textContent = "全部展开";
  button.addEventListener("click", function () {
    var open = button.textContent === "全部展开";
    all.forEach(function (d) { d.open = open; });
    button.textContent = open ? "全部收起" : "全部展开";
  });
  all[0].parentNode.insertBefore(button, all[0]);
});
