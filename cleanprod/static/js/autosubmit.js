// <select data-autosubmit> sends its form on change (the language picker): an inline onchange
// handler would be blocked by the Content-Security-Policy.
document.addEventListener("change", (event) => {
  const select = event.target.closest && event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
