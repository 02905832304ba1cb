// Checks that every export wasm-bindgen's glue calls is one the optimized wasm has (wasm-opt drops
// what it finds unused), and that the glue exports only the widget's API: no class or function of a
// dependency crept in. Leptos links
// wasm-streams through server_fn, whose upstream exports classes the widget never uses; the
// workspace patches it with vendor/wasm-streams, which exports none. A new wasm-bindgen, Leptos or
// server_fn must be looked at, not silently shipped.
//
// Usage: node scripts/check-glue-exports.mjs path/to/glue.js path/to/optimized.wasm
import { readFileSync } from 'node:fs';

const [file, wasmFile] = process.argv.slice(2);
const js = readFileSync(file, 'utf8');
// What the glue may export: the widget's JavaScript API (src/mount.rs), wasm-bindgen's init
// functions, and the test bundle's crashTest (src/crash.rs).
const ALLOWED = new Set(['mount', 'addCatalogue', 'WidgetHandle', 'crashTest', 'initSync', 'default']);
const named = [...js.matchAll(/^export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([\w$]+)/gm)].map((m) => m[1]);
const listed = [...js.matchAll(/^export\s*\{([^}]*)\}/gm)]
  .flatMap((m) => m[1].split(','))
  .map((entry) => entry.trim().split(/\s+as\s+/).pop())
  .filter(Boolean);
const defaults = /^export\s+default\b/m.test(js) ? ['default'] : [];
const unexpected = [...named, ...listed, ...defaults].filter((name) => !ALLOWED.has(name));
if (unexpected.length > 0) {
  console.error(`check-glue-exports: ${file} exports what the widget does not: ${unexpected.join(', ')}`);
  process.exit(1);
}
const exports = new Set(WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasmFile))).map((e) => e.name));
const missing = [...new Set([...js.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]))].filter((name) => !exports.has(name));
if (missing.length > 0) {
  console.error(`check-glue-exports: the glue calls exports the wasm lacks: ${missing.join(', ')}`);
  process.exit(1);
}
