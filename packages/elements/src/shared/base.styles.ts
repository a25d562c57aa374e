import { css } from 'lit';

/**
 * `--ozg-internal-em`, registered as a length, computes `1em` to pixels where it is set: on the
 * element, whose font size is the reader's own (`medium`). Every size below is a multiple of it,
 * so spacing and controls keep their proportions inside headings too. Where registering is not
 * possible the property is plain text and sizes fall back to the `em` of each place.
 */
if (typeof CSS !== 'undefined' && 'registerProperty' in CSS) {
  try {
    CSS.registerProperty({ name: '--ozg-internal-em', syntax: '<length>', inherits: true, initialValue: '16px' });
  } catch {
    // registered already (a second copy of the bundle on the page)
  }
}

/**
 * Styles of `<ozg-antrag>` and everything rendered in its shadow root. Three tiers of
 * custom properties: system tokens `--ozg-color-*`, `--ozg-space-*`, `--ozg-font-*` (set by a
 * tenant theme or the host page), component knobs `--ozg-antrag-*` defaulting to them, and
 * private `--_x`. Layout only where possible; a forced-colours layer stays in the base.
 *
 * Sizes: the text is the reader's own size — CSS `medium`, the browser's setting — not the page's
 * root size, which CMS themes often shrink (`html { font-size: 62.5% }`) or a page forces
 * (`* { font-size: … !important }`, which the `!important` here outranks on the element). A
 * theme or page may still set `--ozg-font-size-base`. No `rem` below: every size derives from it.
 */
export const antragStyles = css`
  :host {
    --_primary: var(--ozg-color-primary, #004b87);
    --_on-primary: var(--ozg-color-on-primary, #ffffff);
    --_text: var(--ozg-color-text, #1b1b1b);
    --_muted: var(--ozg-color-text-muted, #4f4f4f);
    --_background: var(--ozg-color-background, #ffffff);
    --_surface: var(--ozg-color-surface, #f3f4f6);
    --_border: var(--ozg-color-border, #6b6b6b);
    --_error: var(--ozg-color-error, #b00020);
    --_success: var(--ozg-color-success, #00703c);
    --_focus: var(--ozg-color-focus, #ffbf47);
    --_radius: var(--ozg-radius, 4px);
    --_space-1: var(--ozg-space-1, calc(0.25 * var(--ozg-internal-em)));
    --_space-2: var(--ozg-space-2, calc(0.5 * var(--ozg-internal-em)));
    --_space-3: var(--ozg-space-3, calc(1 * var(--ozg-internal-em)));
    --_space-4: var(--ozg-space-4, calc(1.5 * var(--ozg-internal-em)));
    --_space-5: var(--ozg-space-5, calc(2 * var(--ozg-internal-em)));
    --_font: var(--ozg-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif);
    --_size: var(--ozg-font-size-base, medium);
    --_max-width: var(--ozg-antrag-max-width, calc(46 * var(--ozg-internal-em)));

    display: block;
    box-sizing: border-box;
    max-width: var(--_max-width);
    /* Layout follows the width the page gives the form (a CMS column), not the screen's: container queries. */
    container-type: inline-size;
    color: var(--_text);
    background: var(--_background);
    font-family: var(--_font);
    font-size: var(--_size) !important;
    --ozg-internal-em: 1em;
    line-height: 1.5 !important;
    text-align: start;
    /* break-word, not anywhere: 'anywhere' lets grid and flex columns shrink to one letter. */
    overflow-wrap: break-word;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  ozg-field,
  ozg-group,
  ozg-repeat {
    display: block;
  }
  /* A keystroke changes one field: keep Chromium's relayout inside it, not the whole form. */
  ozg-field {
    contain: layout style;
  }
  form {
    margin: 0;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    margin: -1px !important;
    padding: 0 !important;
    overflow: hidden !important;
    clip: rect(0 0 0 0) !important;
    white-space: nowrap !important;
    border: 0 !important;
  }
  .tenant-header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-3);
    margin: 0 0 var(--_space-4);
    padding-bottom: var(--_space-3);
    border-bottom: 4px solid var(--_primary);
  }
  .language-switch {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_space-2);
    margin: 0 0 var(--_space-3);
  }
  /* The chosen language is also marked without colour (forced colours, greyscale). */
  .language-switch [aria-pressed='true'] {
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }
  .logo {
    display: block;
    max-height: var(--ozg-antrag-logo-height, calc(3.5 * var(--ozg-internal-em)));
    max-width: 100%;
    width: auto;
  }
  .tenant-name {
    font-size: 1.25em;
    font-weight: 700;
  }
  .tenant-footer {
    margin-top: var(--_space-5);
    padding-top: var(--_space-3);
    border-top: 1px solid var(--_border);
  }
  .tenant-footer ul {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-2) var(--_space-4);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .tenant-footer a,
  .logo-link {
    color: var(--_primary);
  }
  .progress ol {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-2) var(--_space-3);
    margin: 0 0 var(--_space-4);
    padding: 0;
    list-style: none;
    color: var(--_muted);
  }
  .progress li {
    display: flex;
    align-items: center;
    gap: var(--_space-1);
  }
  .progress-number {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-width: calc(1.75 * var(--ozg-internal-em));
    height: calc(1.75 * var(--ozg-internal-em));
    border: 2px solid currentColor;
    border-radius: 50%;
    font-weight: 700;
  }
  .progress li.current {
    color: var(--_text);
    font-weight: 700;
  }
  .progress li.current .progress-number {
    color: var(--_on-primary);
    background: var(--_primary);
    border-color: var(--_primary);
  }
  .progress li.done .progress-number {
    color: var(--_primary);
  }
  .step-of {
    margin: 0;
    color: var(--_muted);
  }
  .step-title:focus {
    outline: none;
  }
  .step-title:focus-visible {
    outline: 3px solid var(--_focus);
  }
  .summary-step h3 {
    margin: var(--_space-4) 0 var(--_space-2);
  }
  .fees-table {
    width: 100%;
    margin: 0 0 var(--_space-4);
    border-collapse: collapse;
  }
  .fees-table th,
  .fees-table td {
    padding: var(--_space-2) 0;
    border-bottom: 1px solid var(--_border);
    text-align: start;
    font-weight: 400;
    vertical-align: top;
  }
  /* Amounts line up at the end, digits of equal width. */
  .fees-table td {
    text-align: end;
    white-space: nowrap;
    padding-inline-start: var(--_space-3);
    font-variant-numeric: tabular-nums;
  }
  .fees-table tfoot th,
  .fees-table tfoot td {
    font-weight: 700;
    border-bottom-width: 2px;
  }
  .summary-list {
    margin: 0 0 var(--_space-4);
    border-top: 1px solid var(--_border);
  }
  .summary-row {
    display: grid;
    grid-template-columns: minmax(calc(8 * var(--ozg-internal-em)), 2fr) minmax(0, 3fr) max-content;
    gap: var(--_space-2) var(--_space-3);
    padding: var(--_space-2) 0;
    border-bottom: 1px solid var(--_border);
  }
  .summary-row dt {
    font-weight: 700;
  }
  .summary-row dd {
    margin: 0;
  }
  .summary-answer {
    white-space: pre-wrap;
  }
  .summary-change {
    justify-self: end;
  }
  @container (max-width: 40em) {
    .summary-row {
      grid-template-columns: minmax(0, 1fr) max-content;
    }
    .summary-row dt {
      grid-column: 1 / -1;
    }
  }
  .link-button {
    min-height: calc(2.75 * var(--ozg-internal-em));
    padding: 0 var(--_space-1);
    font: inherit;
    color: var(--_primary);
    text-decoration: underline;
    background: none;
    border: 0;
    cursor: pointer;
  }
  .consent-text {
    margin: 0 0 var(--_space-3);
    white-space: pre-line;
  }
  .button[aria-disabled='true'] {
    opacity: 0.65;
  }
  .receipt-number {
    display: block;
    margin: var(--_space-2) 0 var(--_space-3);
    font-size: 1.75em;
    font-weight: 700;
    letter-spacing: 0.05em;
  }
  .receipt {
    padding: var(--_space-4);
    border: 4px solid var(--_success);
    border-radius: var(--_radius);
  }
  .status-box {
    margin: var(--_space-3) 0;
    padding: var(--_space-2) var(--_space-3);
    border-inline-start: 4px solid var(--_success);
    background: var(--_surface);
  }
  .intro {
    margin: 0 0 var(--_space-4);
  }
  .tenant-debug table {
    border-collapse: collapse;
    font-size: 0.9em;
  }
  .tenant-debug td {
    padding: 0 var(--_space-2);
    border-bottom: 1px solid var(--_surface);
  }
  .title {
    margin: 0 0 var(--_space-3);
    font-size: 1.75em;
    line-height: 1.2;
  }
  .required-legend {
    margin: 0 0 var(--_space-4);
    color: var(--_muted);
  }
  .required-mark {
    color: var(--_error);
    margin-inline-start: 0.15em;
    font-weight: 700;
  }
  .field {
    margin: 0 0 var(--_space-4);
    padding: 0;
    border: 0;
    min-width: 0;
  }
  .field--error {
    border-inline-start: 5px solid var(--_error);
    padding-inline-start: var(--_space-3);
  }
  /* A legend is as wide as its longest word unless bounded: "Landeshundeverordnung" at 400 % zoom overflowed. */
  legend {
    max-inline-size: 100%;
  }
  .label,
  .group-legend {
    display: block;
    margin-bottom: var(--_space-1);
    font-weight: 700;
    padding: 0;
  }
  .group {
    margin: 0 0 var(--_space-4);
    padding: var(--_space-3);
    border: 1px solid var(--ozg-antrag-group-border, #c9ced6);
    border-radius: var(--_radius);
    min-width: 0;
  }
  .group-legend {
    font-size: 1.15em;
    padding: 0 var(--_space-1);
  }
  .hint {
    margin: 0 0 var(--_space-2);
    color: var(--_muted);
  }
  .error-message {
    margin: 0 0 var(--_space-2);
    color: var(--_error);
    font-weight: 700;
  }
  .input {
    display: block;
    width: 100%;
    min-height: calc(2.5 * var(--ozg-internal-em));
    padding: var(--_space-2);
    font: inherit;
    color: var(--_text);
    background: var(--_background);
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
  }
  .input[readonly] {
    background: var(--_surface);
    border-style: dashed;
  }
  .field--error .input {
    border-color: var(--_error);
  }
  .textarea {
    min-height: calc(7 * var(--ozg-internal-em));
    resize: vertical;
  }
  .choices {
    display: grid;
    gap: var(--_space-2);
  }
  .choice {
    display: flex;
    align-items: flex-start;
    gap: var(--_space-2);
  }
  .choice-input {
    flex: none;
    width: calc(1.5 * var(--ozg-internal-em));
    height: calc(1.5 * var(--ozg-internal-em));
    margin: 0;
    accent-color: var(--_primary);
  }
  .choice-label {
    padding-top: calc(0.05 * var(--ozg-internal-em));
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: calc(2.75 * var(--ozg-internal-em));
    min-width: calc(2.75 * var(--ozg-internal-em));
    padding: var(--_space-2) var(--_space-3);
    font: inherit;
    font-weight: 700;
    color: var(--_on-primary);
    background: var(--_primary);
    border: 2px solid var(--_primary);
    border-radius: var(--_radius);
    cursor: pointer;
  }
  .button--secondary {
    color: var(--_primary);
    background: var(--_background);
  }
  .button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .repeat-item {
    margin-bottom: var(--_space-3);
  }
  .repeat-item--simple {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: var(--_space-2);
  }
  .repeat-item--simple > ozg-field {
    flex: 1 1 calc(14 * var(--ozg-internal-em));
  }
  .repeat-item--simple > .repeat-remove {
    margin-bottom: var(--_space-4);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-3);
    margin-top: var(--_space-4);
  }
  .error-summary,
  .load-error {
    margin: 0 0 var(--_space-4);
    padding: var(--_space-3);
    border: 4px solid var(--_error);
    border-radius: var(--_radius);
  }
  .error-summary h2,
  .load-error h2 {
    margin: 0 0 var(--_space-2);
    font-size: 1.25em;
  }
  .error-summary ul {
    margin: 0;
    padding-inline-start: var(--_space-4);
  }
  .error-summary a {
    color: var(--_error);
    font-weight: 700;
  }
  .notice,
  .schema-issues {
    margin: 0 0 var(--_space-4);
    padding: var(--_space-2) var(--_space-3);
    background: var(--_surface);
    border-inline-start: 4px solid var(--_border);
  }
  .schema-issues summary {
    cursor: pointer;
  }
  .schema-issues code,
  .load-error code {
    font-size: 0.9em;
    overflow-wrap: anywhere;
  }
  .status {
    color: var(--_muted);
  }
  :focus-visible {
    outline: 3px solid var(--_text);
    outline-offset: 0;
    box-shadow: 0 0 0 6px var(--_focus);
  }
  .input:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
    box-shadow: inset 0 0 0 2px var(--_text);
  }
  a:focus-visible {
    background: var(--_focus);
    color: #0b0c0c;
    box-shadow: none;
    outline: none;
    text-decoration: none;
  }
  @media (forced-colors: active) {
    .field--error,
    .error-summary,
    .load-error {
      border-color: CanvasText;
    }
    :focus-visible,
    a:focus-visible {
      /* Links show focus by a yellow background elsewhere; forced colours drop backgrounds. */
      outline: 3px solid Highlight;
      outline-offset: 2px;
    }
    .button {
      border-color: ButtonText;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      scroll-behavior: auto !important;
      transition: none !important;
    }
  }
  /* A printed receipt or form: the answers, not the controls. */
  @media print {
    .actions,
    .repeat-add,
    .repeat-remove,
    .progress,
    .tenant-footer,
    .schema-issues {
      display: none;
    }
    .receipt {
      border-width: 2px;
    }
    .summary-row {
      break-inside: avoid;
    }
  }
`;
