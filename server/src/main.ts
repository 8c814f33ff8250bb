import { loadConfig } from './platform/config';
import { startServer, stopOnSignals } from './server';

try {
  const server = await startServer(loadConfig());
  stopOnSignals(server);
} catch (error) {
  console.error(`Huikuan could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
