// Closes an open menu group when one clicks elsewhere or opens another (the menu works without this script).
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.menu-group[open]").forEach(function (group) {
    if (!group.contains(event.target)) { group.removeAttribute("open"); }
  });
});
