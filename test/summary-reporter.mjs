// Node test-runner reporter that prints the closing line CI looks for: `N passed, N failed`.
// Counts leaf tests (tests without subtests); skipped and todo tests are reported apart.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type === 'test:pass' || event.type === 'test:fail') {
      const d = event.data;
      if (d.details?.type === 'suite') continue;
      // Node 20 runs every .js file under a test/ folder; support modules without tests show up as a file-level pass.
      if (d.nesting === 0 && typeof d.name === 'string' && d.name === d.file) continue;
      if (d.skip || d.todo) { skipped++; continue; }
      if (event.type === 'test:pass') passed++;
      else failed++;
    }
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
