/* Small behaviours of the pages. They live here, not in the templates, so the
   Content-Security-Policy can refuse every inline script. */
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) target.form.submit();
});
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target.matches && target.matches("[data-print]")) window.print();
});
