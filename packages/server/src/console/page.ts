/**
 * The console's one HTML page: the Lit app (console.js) and, for the live preview, the runtime's
 * own bundle from this host. Nothing inline: the host's page policy (no inline script or style) holds.
 */
export const consolePage = (version: string) => `<!doctype html>
<html lang="de">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>ozg-forms – Konsole</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/admin/console.css" />
    <script type="module" src="/v/${version}/ozg-forms.js"></script>
    <script type="module" src="/admin/console.js"></script>
  </head>
  <body>
    <ozg-console>
      <p>Die Konsole wird geladen … / Loading the console …</p>
    </ozg-console>
    <noscript><p>Die Konsole braucht JavaScript. / The console needs JavaScript.</p></noscript>
  </body>
</html>
`;
