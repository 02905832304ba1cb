// Leptos depends on server_fn, and server_fn (with the "browser" feature Leptos always turns on) on
// wasm-streams, whose `IntoUnderlying*` classes wasm-bindgen exports from every binary that links it.
// The widget never makes a stream: bundle.sh drops those exports from the wasm (wasm-opt
// --remove-exports, so the code behind them goes too), and this script drops their classes from
// wasm-bindgen's glue. It fails when it finds nothing to drop, or leaves a trace: a new wasm-bindgen
// or Leptos must be looked at, not silently shipped.
//
// Usage: node scripts/strip-unused-exports.mjs path/to/glue.js
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
let js = readFileSync(file, 'utf8');
const before = js.length;
js = js
  .replace(/^export class IntoUnderlying\w+ \{[\s\S]*?^\}\n/gm, '')
  .replace(/^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype.*\n/gm, '')
  .replace(/^const IntoUnderlying\w+Finalization = [\s\S]*?;\n/gm, '');
if (js.length === before) {
  console.error(`strip-unused-exports: no IntoUnderlying* class found in ${file}`);
  process.exit(1);
}
if (js.includes('IntoUnderlying')) {
  console.error(`strip-unused-exports: IntoUnderlying* is still referenced in ${file}`);
  process.exit(1);
}
writeFileSync(file, js);
