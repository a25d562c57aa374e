/**
 * The error summary shown after a failed "Weiter" or "Absenden" (GOV.UK pattern): how many errors,
 * each a link that moves the focus to its field. The element focuses the summary itself.
 */
import { fieldIdOf, isWithin, type FormState, type Locale, type MessageKey, type MessageParams } from '@ozg-forms/core';
import { html, nothing } from 'lit';

/** Moves the focus to a field (and scrolls it into view) instead of following the link. */
function focusField(e: Event, root: ParentNode, pointer: string) {
  e.preventDefault();
  const target = root.querySelector<HTMLElement>(`#${CSS.escape(fieldIdOf(pointer))}`);
  if (!target) return;
  target.focus();
  target.closest('.field, .group')?.scrollIntoView({ block: 'nearest' });
}

/** The errors within `scope` (a step's fields; all without), or nothing when there are none. */
export function errorSummary(
  texts: { t(key: MessageKey, params?: MessageParams): string; locale: Locale },
  form: FormState,
  root: ParentNode,
  scope?: readonly string[],
) {
  const errors = form.errorList.filter((e) => isWithin(e.pointer, scope));
  if (errors.length === 0) return nothing;
  const { t, locale } = texts;
  return html`<div class="error-summary" part="error-summary" tabindex="-1" aria-labelledby="ozg-error-summary-title">
    <h2 id="ozg-error-summary-title">${t('form.errorSummaryTitle')}</h2>
    <p>${t('form.errorSummaryIntro', { count: errors.length })}</p>
    <ul>
      ${errors.map(
        (e) =>
          html`<li>
            <a href="#${fieldIdOf(e.pointer)}" @click=${(ev: Event) => focusField(ev, root, e.pointer)}>${form.errorMessage(e.pointer, locale)}</a>
          </li>`,
      )}
    </ul>
  </div>`;
}
