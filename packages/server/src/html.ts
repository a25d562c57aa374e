/** Text as HTML text or attribute value: the five characters that could end either are written as references. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
