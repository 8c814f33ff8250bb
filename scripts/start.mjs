// `npm start`: build the web app if it is missing or older than its sources, then run the server in this
// process (TypeScript through tsx, so no separate server build is needed on a fresh clone). package.json starts node
// with --max-semi-space-size=64 (MB): a dunning run's batches allocate hundreds of megabytes of short-lived rows and
// SQL text, and with the default 16 MB young generation an organization's first run spent 5 s of its CPU copying
// what was still alive at each of 419 scavenges (3 s at 64 MB; bench/README.md). --min-semi-space-size=64 starts it
// at that size rather than growing it from 1 MB while the run reads its snapshot (alternated first runs: 10.4–11.8 s
// against 10.8–11.8 s, ahead in 6 of 7 pairs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = path.join(root, 'web/dist/index.html');

function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function webBuildIsStale() {
  if (!fs.existsSync(builtIndex)) return true;
  const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'core/src'].map((p) =>
    path.join(root, p),
  );
  const newestSource = Math.max(
    ...sources.map((p) => (fs.statSync(p).isDirectory() ? newestMtimeMs(p) : fs.statSync(p).mtimeMs)),
  );
  return newestSource > fs.statSync(builtIndex).mtimeMs;
}

if (webBuildIsStale()) {
  console.log('Building the web app (first start, or its sources changed)…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: path.join(root, 'web'),
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('The web app failed to build; see the output above.');
    process.exit(result.status ?? 1);
  }
}

await tsImport(path.join(root, 'server/src/main.ts'), import.meta.url);
