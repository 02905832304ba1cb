// Checks that every export wasm-bindgen's glue calls is one the optimized wasm has (wasm-opt drops
// what it finds unused), and that no exported class of a dependency crept in: Leptos links
// wasm-streams through server_fn, whose upstream exports classes the widget never uses; the
// workspace patches it with vendor/wasm-streams, which exports none. A new wasm-bindgen, Leptos or
// server_fn must be looked at, not silently shipped.
//
// Usage: node scripts/check-glue-exports.mjs path/to/glue.js path/to/optimized.wasm
import { readFileSync } from 'node:fs';

const [file, wasmFile] = process.argv.slice(2);
const js = readFileSync(file, 'utf8');
const exported = /^export class (\w+)/gm;
const classes = [...js.matchAll(exported)].map((m) => m[1]).filter((name) => name !== 'WidgetHandle');
if (classes.length > 0) {
  console.error(`check-glue-exports: ${file} exports classes the widget does not: ${classes.join(', ')}`);
  process.exit(1);
}
const exports = new Set(WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasmFile))).map((e) => e.name));
const missing = [...new Set([...js.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]))].filter((name) => !exports.has(name));
if (missing.length > 0) {
  console.error(`check-glue-exports: the glue calls exports the wasm lacks: ${missing.join(', ')}`);
  process.exit(1);
}
