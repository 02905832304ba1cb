// Leptos depends on server_fn, and server_fn (with the "browser" feature Leptos always turns on) on
// wasm-streams, whose `IntoUnderlying*` classes wasm-bindgen exports from every binary that links it.
// The widget never makes a stream: bundle.sh drops those exports from the wasm (wasm-opt
// --remove-exports, so the code behind them goes too), and this script drops their classes from
// wasm-bindgen's glue. It fails when it finds nothing to drop, or leaves a trace: a new wasm-bindgen
// or Leptos must be looked at, not silently shipped.
//
// It then checks that every export the glue calls is one the optimized wasm has.
//
// Usage: node scripts/strip-unused-exports.mjs path/to/glue.js path/to/optimized.wasm
import { readFileSync, writeFileSync } from 'node:fs';

const [file, wasmFile] = process.argv.slice(2);
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
const exports = new Set(WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasmFile))).map((e) => e.name));
const missing = [...new Set([...js.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]))].filter((name) => !exports.has(name));
if (missing.length > 0) {
  console.error(`strip-unused-exports: the glue calls exports the wasm lacks: ${missing.join(', ')}`);
  process.exit(1);
}
writeFileSync(file, js);
