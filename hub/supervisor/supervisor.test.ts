import { MALLOC_ENV_OVERRIDES, Supervisor, WORKER_NODE_FLAGS } from './supervisor.js';
import { systemProcesses } from './system-processes.js';

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

  it('gives the console and the services of switchboard up the malloc settings, and the worker not', () => {
    const processes = systemProcesses({});
    for (const name of ['console', 'crm', 'erp', 'scm']) expect(processes.find((process) => process.name === name)?.envOverrides).toEqual(MALLOC_ENV_OVERRIDES);
    expect(processes.find((process) => process.name === 'worker')?.envOverrides).toBeUndefined();
    expect(MALLOC_ENV_OVERRIDES.MALLOC_ARENA_MAX).toBe('2');
  });

  it('runs the worker of switchboard up with its heap flag, which Node hands to V8', async () => {
    const worker = systemProcesses({}).find((process) => process.name === 'worker');
    expect(worker?.nodeFlags).toEqual(WORKER_NODE_FLAGS);
    const lines: string[] = [];
    const supervisor = new Supervisor('-e', (line) => lines.push(line), { stopAllOnExit: false });
    const script = 'console.log(`flags ${process.execArgv.join(" ")}`); setInterval(() => {}, 1000);';
    try {
      await supervisor.start({ name: 'probe', args: [script], env: { PATH: process.env.PATH }, nodeFlags: worker?.nodeFlags, readyLine: /^flags / }, 20_000);
    } finally {
      await supervisor.stop();
    }
    expect(lines.some((line) => line.includes('--heap-growing-percent=100'))).toBe(true);
  });
});
