import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONSOLE_NODE_FLAGS, MALLOC_ENV_OVERRIDES, WORKER_NODE_FLAGS, spawnArgsOf, tunedEnv, tuningOf } from './process-tuning.js';
import { Supervisor } from './supervisor.js';

describe('Supervisor', () => {
  it('starts a child with its env and the spec\'s envOverrides over it (the C library reads MALLOC_ARENA_MAX only at start)', async () => {
    const lines: string[] = [];
    // The "entry" is `node -e <script>`: a child that prints what it was given, then waits to be stopped.
    const supervisor = new Supervisor('-e', (line) => lines.push(line), { stopAllOnExit: false });
    const script = 'console.log(`env ${process.env.MALLOC_ARENA_MAX} ${process.env.KEPT}`); setInterval(() => {}, 1000);';
    try {
      await supervisor.start({ name: 'probe', args: [script], env: { PATH: process.env.PATH, KEPT: 'kept', MALLOC_ARENA_MAX: '8' }, envOverrides: { MALLOC_ARENA_MAX: '2' }, readyLine: /^env / }, 20_000);
    } finally {
      await supervisor.stop();
    }
    expect(lines.some((line) => line.endsWith('env 2 kept'))).toBe(true);
  });

  it('tunes each command: malloc settings for the console, the services and the worker, heap flags for the worker and the console, nothing for the rest', () => {
    for (const args of [['console'], ['service', 'crm'], ['service', 'scm'], ['worker']]) expect(tunedEnv(args, { KEPT: 'kept' })).toEqual({ KEPT: 'kept', ...MALLOC_ENV_OVERRIDES });
    expect(MALLOC_ENV_OVERRIDES.MALLOC_ARENA_MAX).toBe('2');
    expect(spawnArgsOf('bin/switchboard.js', ['worker', '--connector', 'c'], ['--cpu-prof'])).toEqual(['--max-semi-space-size=2', ...WORKER_NODE_FLAGS, '--cpu-prof', 'bin/switchboard.js', 'worker', '--connector', 'c']);
    expect(spawnArgsOf('bin/switchboard.js', ['console'])).toEqual(['--max-semi-space-size=2', ...CONSOLE_NODE_FLAGS, 'bin/switchboard.js', 'console']);
    for (const args of [['registry'], ['connectors', 'status'], [], ['toString'], ['__proto__']]) expect(tuningOf(args)).toEqual({ nodeFlags: [], envOverrides: {} });
  });

  it('starts each command with its tuning, as switchboard up does: the flags reach V8, the malloc settings the environment', async () => {
    // A stand-in entry script that prints what it was started with, then waits to be stopped.
    const entry = path.join(mkdtempSync(path.join(tmpdir(), 'supervisor-')), 'entry.cjs');
    writeFileSync(entry, 'console.log(`${process.argv[2]} flags ${process.execArgv.join(" ")} arena ${process.env.MALLOC_ARENA_MAX}`); setInterval(() => {}, 1000);');
    const lines: string[] = [];
    const supervisor = new Supervisor(entry, (line) => lines.push(line), { stopAllOnExit: false });
    try {
      for (const args of [['worker'], ['service', 'crm'], ['console'], ['registry']]) {
        await supervisor.start({ name: args[0] as string, args, env: { PATH: process.env.PATH }, readyLine: new RegExp(`^${args[0]} flags`) }, 20_000);
      }
    } finally {
      await supervisor.stop();
    }
    const printed = (command: string) => lines.find((line) => line.includes(`${command} flags`))?.replace(/^.*? flags /, '');
    expect(printed('worker')).toBe('--max-semi-space-size=2 --heap-growing-percent=100 arena 2');
    expect(printed('service')).toBe('--max-semi-space-size=2 arena 2');
    expect(printed('console')).toBe('--max-semi-space-size=2 --max-old-space-size=96 arena 2');
    expect(printed('registry')).toBe('--max-semi-space-size=2 arena undefined');
  });
});
