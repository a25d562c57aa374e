// Prints "N passed, N failed, N skipped" as the very last line of a browser test run,
// so CI tooling can read the count (the runner's own summary is not alone on a line).
export function countReporter() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const walk = (suite) => {
    for (const t of suite.tests ?? []) {
      if (t.skipped) skipped++;
      else if (t.passed) passed++;
      else failed++;
    }
    for (const s of suite.suites ?? []) walk(s);
  };
  return {
    onTestRunFinished({ sessions }) {
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        // Errors outside any test (a file that fails to load, a failing hook) count as failures too.
        failed += session.errors?.length ?? 0;
      }
    },
    async stop() {
      console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
    },
  };
}
