// Example pages only: show what <ozg-antrag> emits, as a CMS page's own script would.
for (const form of document.querySelectorAll('ozg-antrag')) {
  const out = document.getElementById(`${form.id}-result`);
  form.addEventListener('ozg-submit', (event) => {
    if (out) out.textContent = `ozg-submit:\n${JSON.stringify(event.detail, null, 2)}`;
  });
}
