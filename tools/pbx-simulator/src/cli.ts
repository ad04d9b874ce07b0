/**
 * `npm run sim -- …`: a simulated Asterisk 22 AMI server for one tenant. Runs until --duration/--calls are
 * used up and the last call ended (then writes --ledger and exits), or until Ctrl-C.
 */
import { parseCliOptions, USAGE } from './cli-options';
import { startSimulator } from './simulator';

async function main(): Promise<number> {
  let options;
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`pbx-simulator: ${message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`pbx-simulator: ${line}\n`);
  const sim = await startSimulator({ ...options, log });
  const summary = () => {
    const calls = sim.ledger();
    const by = new Map<string, number>();
    for (const call of calls)
      by.set(
        `${call.direction}/${call.outcome ?? 'in progress'}`,
        (by.get(`${call.direction}/${call.outcome ?? 'in progress'}`) ?? 0) + 1,
      );
    return `${calls.length} calls: ${[...by.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`;
  };
  const bounded =
    options.calls !== undefined || options.durationSec !== undefined || options.replay !== undefined;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => resolve();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (bounded && !options.replay?.loop) void sim.done.then(resolve);
  });
  await stopped;
  log(summary());
  await sim.stop();
  if (options.ledgerPath) log(`ledger written to ${options.ledgerPath}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `pbx-simulator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
