// Writes FILE.br (brotli, quality 11) beside each FILE given, for hosts that serve precompressed
// files. (bundle.sh writes FILE.gz with gzip -9, which compresses better than node's zlib.)
// Usage: node scripts/compress.mjs FILE...
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

for (const path of process.argv.slice(2)) {
  const raw = readFileSync(path);
  const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length };
  writeFileSync(`${path}.br`, brotliCompressSync(raw, { params }));
}
