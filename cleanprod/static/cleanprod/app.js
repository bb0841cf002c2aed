// Cascading region pickers: selects marked data-region-cascade inside one form fill the next
// level from the server and keep the hidden "region" input at the deepest choice.
document.addEventListener("change", (event) => {
  const select = event.target.closest && event.target.closest("select[data-region-cascade]");
  if (!select) return;
  const form = select.form;
  const selects = [...form.querySelectorAll("select[data-region-cascade]")];
  const index = selects.indexOf(select);
  for (const deeper of selects.slice(index + 1)) {
    deeper.innerHTML = '<option value="">—</option>';
    deeper.disabled = true;
  }
  const chosen = selects.map((s) => s.value).filter(Boolean);
  form.querySelector("input[name=region]").value = chosen.length ? chosen[chosen.length - 1] : "";
  const next = selects[index + 1];
  if (select.value && next) {
    htmx.ajax("GET", select.dataset.childrenUrl + "?parent=" + encodeURIComponent(select.value),
      { target: next, swap: "innerHTML" }).then(() => { next.disabled = next.options.length <= 1; });
  }
}, true);  // capture: runs before htmx sends the form on the same change event
