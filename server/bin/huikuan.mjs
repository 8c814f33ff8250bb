#!/usr/bin/env node
// The `huikuan` command. The server is TypeScript run without a build step, so this loads cli.ts through tsx.
import { tsImport } from 'tsx/esm/api';

const { runCli } = await tsImport('../src/cli.ts', import.meta.url);
process.exitCode = await runCli(process.argv);
