#!/usr/bin/env -S node --min-semi-space-size=64 --max-semi-space-size=64
// The `huikuan` command. The server is TypeScript run without a build step, so this loads cli.ts through tsx.
// Started as a command (npx huikuan, or huikuan when installed), node gets the young generation `npm start` gives the
// server (scripts/start.mjs says why: a dunning run's batches allocate hundreds of megabytes of short-lived objects).
// V8 takes the size only at startup, and a re-exec would leave a killed command's run going in a child.
import { tsImport } from 'tsx/esm/api';

const { runCli } = await tsImport('../src/cli.ts', import.meta.url);
process.exitCode = await runCli(process.argv);
