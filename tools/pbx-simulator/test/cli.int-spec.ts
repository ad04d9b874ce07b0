import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseQueueLogLine } from '../src/ledger/queue-log';
import type { LedgerCall } from '../src/ledger/ledger';
import { AmiTestClient } from '../src/testing/ami-test-client';

// `npm run sim` as a user runs it (through run.mts): a fast, bounded run that writes its ledger and queue_log.

const ROOT = path.resolve(__dirname, '..', '..', '..');

it('runs from the command line, serves AMI, then writes the ledger and the queue_log', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pbx-sim-'));
  const ledgerPath = path.join(dir, 'ledger.json');
  const queueLogPath = path.join(dir, 'queue_log');
  try {
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
        'tools/pbx-simulator/run.mts',
        '--tenant',
        'cli-test',
        '--fast',
        '--calls',
        '15',
        '--calls-per-hour',
        '200',
        '--agents',
        '4',
        '--seed',
        '3',
        '--port',
        '0',
        '--secret',
        'pw',
        '--ledger',
        ledgerPath,
        '--queue-log',
        queueLogPath,
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /AMI on [\d.]+:(\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const client = await AmiTestClient.connect(port);
    const login = await client.loginMd5('okc', 'pw');
    expect(login.headers['message']).toBe('Authentication accepted');
    expect(await exited).toBe(0);
    client.close();
    const ledger = JSON.parse(await readFile(ledgerPath, 'utf8')) as { calls: LedgerCall[] };
    const inbound = ledger.calls.filter((c) => c.direction === 'inbound');
    expect(inbound).toHaveLength(15);
    expect(ledger.calls.every((c) => c.tenant === 'cli-test' && c.endedAt !== null)).toBe(true);
    const lines = (await readFile(queueLogPath, 'utf8')).trim().split('\n').map(parseQueueLogLine);
    expect(lines.filter((l) => l.event === 'ENTERQUEUE')).toHaveLength(
      inbound.flatMap((c) => c.segments).length,
    );
    expect(client.events('QueueCallerJoin').length).toBeGreaterThan(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
