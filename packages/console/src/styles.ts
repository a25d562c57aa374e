import { css } from 'lit';

/** The console's look: plain, high-contrast, large targets; works at 320 px and with 200 % zoom. */
export const consoleStyles = css`
  :host {
    display: block;
    color: #1b1b1b;
    background: #ffffff;
    font:
      1rem/1.5 system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      Arial,
      sans-serif;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  a {
    color: #004b87;
  }
  :focus-visible {
    outline: 3px solid #f2c94c;
    outline-offset: 2px;
    box-shadow: 0 0 0 5px #1b1b1b;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: center;
    padding: 0.75rem 1rem;
    background: #00325a;
    color: #ffffff;
  }
  .bar .app {
    font-weight: 700;
    margin-right: auto;
  }
  .bar button,
  .bar select {
    font: inherit;
  }
  :host .bar .link-button {
    background: transparent;
    color: #ffffff;
    border-color: #ffffff;
  }
  main {
    padding: 1rem;
    max-width: 90rem;
    margin: 0 auto;
  }
  h1 {
    font-size: 1.6rem;
    margin: 0.5rem 0;
    overflow-wrap: anywhere;
  }
  h2 {
    font-size: 1.3rem;
    margin: 1.5rem 0 0.5rem;
  }
  h3 {
    font-size: 1.1rem;
    margin: 1rem 0 0.5rem;
  }
  .meta {
    color: #4f4f4f;
    margin: 0 0 1rem;
  }
  label,
  legend {
    display: block;
    font-weight: 600;
    margin: 0.75rem 0 0.25rem;
    overflow-wrap: anywhere;
  }
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
    font-weight: 400;
    margin: 0.35rem 0;
  }
  .check input {
    width: 1.4rem;
    height: 1.4rem;
    margin: 0.1rem 0 0;
    flex: none;
  }
  fieldset {
    border: 1px solid #6b6b6b;
    border-radius: 4px;
    margin: 1rem 0;
    padding: 0.5rem 1rem 1rem;
    min-width: 0;
  }
  input[type='text'],
  input[type='password'],
  input[type='url'],
  input[type='search'],
  textarea,
  select {
    font: inherit;
    width: 100%;
    max-width: 40rem;
    padding: 0.5rem;
    border: 2px solid #6b6b6b;
    border-radius: 4px;
    background: #ffffff;
    color: #1b1b1b;
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: #b00020;
  }
  input[type='color'] {
    width: 3rem;
    height: 2.75rem;
    padding: 0.15rem;
    border: 2px solid #6b6b6b;
    border-radius: 4px;
    background: #ffffff;
  }
  .hint {
    color: #4f4f4f;
    font-size: 0.95rem;
    margin: 0.25rem 0;
    overflow-wrap: anywhere;
  }
  .button,
  .link-button {
    font: inherit;
    font-weight: 600;
    min-height: 2.75rem;
    padding: 0.5rem 1rem;
    border-radius: 4px;
    border: 2px solid #004b87;
    background: #004b87;
    color: #ffffff;
    cursor: pointer;
  }
  a.button {
    display: inline-block;
    text-decoration: none;
  }
  .button[disabled] {
    background: #6b6b6b;
    border-color: #6b6b6b;
    cursor: not-allowed;
  }
  .link-button,
  .button.secondary {
    background: #ffffff;
    color: #004b87;
  }
  .row input[type='text'] {
    max-width: 14rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .alert {
    border-left: 6px solid #b00020;
    background: #fdecee;
    padding: 0.75rem 1rem;
    margin: 1rem 0;
  }
  .success {
    border-left: 6px solid #1d6b32;
    background: #e8f4ec;
    padding: 0.75rem 1rem;
    margin: 1rem 0;
  }
  .note {
    border-left: 6px solid #004b87;
    background: #eef4fa;
    padding: 0.75rem 1rem;
    margin: 1rem 0;
  }
  .error-text {
    color: #b00020;
    font-weight: 600;
    margin: 0.25rem 0;
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1.5rem;
  }
  @media (min-width: 70rem) {
    .layout {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    }
  }
  nav.sections ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    border-bottom: 2px solid #004b87;
  }
  nav.sections button {
    font: inherit;
    min-height: 2.75rem;
    padding: 0.4rem 0.75rem;
    border: 2px solid #004b87;
    border-bottom: none;
    border-radius: 4px 4px 0 0;
    background: #ffffff;
    color: #004b87;
    cursor: pointer;
  }
  nav.sections button[aria-current='page'] {
    background: #004b87;
    color: #ffffff;
    font-weight: 700;
  }
  .swatch {
    display: inline-block;
    width: 1.5rem;
    height: 1.5rem;
    border: 1px solid #1b1b1b;
    vertical-align: middle;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    margin: 0.5rem 0;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    border-bottom: 1px solid #c8c8c8;
    padding: 0.4rem 0.5rem;
    overflow-wrap: anywhere;
  }
  .table-wrap {
    overflow-x: auto;
  }
  code {
    overflow-wrap: anywhere;
  }
  .preview-panel {
    border: 2px solid #6b6b6b;
    border-radius: 4px;
    padding: 0.75rem;
    min-width: 0;
  }
  .preview {
    margin: 0.75rem auto 0;
    border: 1px dashed #6b6b6b;
    padding: 0.5rem;
    max-width: 100%;
    overflow: auto;
  }
  .preview.phone {
    width: 390px;
  }
  .preview.desktop {
    width: 100%;
  }
  .field-row {
    border-top: 1px solid #c8c8c8;
    padding-top: 0.5rem;
    margin-top: 0.5rem;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
