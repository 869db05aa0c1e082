// The print button on letters and notices (the page prints from the browser's menu as well, without this script).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
