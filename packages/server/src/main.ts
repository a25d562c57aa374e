/** `npm start`: the central host on http://localhost:8080 (PORT, HOST and the rest: README). */
import { startHost } from './index.js';

try {
  const host = await startHost();
  const stop = async (signal: string) => {
    host.log.info({ signal }, 'stopping');
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  console.error(`ozg-forms host could not start: ${(err as Error).message}`);
  process.exit(1);
}
