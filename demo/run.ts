/**
 * `npm run demo`: against a running system (`npx switchboard up` in another terminal),
 * seeds products, stock and customers, then places a steady stream of orders and prints
 * every step each order reaches as it moves through the CRM, ERP and SCM.
 *
 * Environment: CRM_URL, ERP_URL, SCM_URL (default http://127.0.0.1:3001/3002/3003),
 * SWITCHBOARD_CREDENTIALS (whose `operator` token it writes with; default the file
 * `switchboard up` provisions, .switchboard/credentials/services.json),
 * DEMO_RATE (orders per second, default 2), DEMO_ORDERS (stop after this many, default 0 =
 * until Ctrl-C). The first Ctrl-C stops placing and lets the orders in flight finish; the
 * second quits at once.
 */
import { Services, ServiceUnreachableError, operatorAuthorizationFromEnv, serviceUrlsFromEnv } from './http.js';
import { OrderStream, type StepReport } from './order-stream.js';
import { seedMasterData } from './seed.js';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const STEP_COLORS: Record<string, number> = { PLACED: 37, CONFIRMED: 36, BACKORDERED: 33, SHIPPED: 34, INVOICED: 35, PAID: 32, REJECTED: 31, CANCELLED: 33, STUCK: 31 };

function clock(): string {
  return new Date().toISOString().slice(11, 22);
}

function say(line: string): void {
  process.stdout.write(`${paint(90, clock())}  ${line}\n`);
}

function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    process.stderr.write(`demo: ${name} must be a number >= ${min} (got "${raw}")\n`);
    process.exit(2);
  }
  return value;
}

function showStep(report: StepReport): void {
  const path = report.path.map((step) => paint(STEP_COLORS[step] ?? 37, step)).join(' -> ');
  const elapsed = report.step === 'PLACED' ? '' : `+${report.elapsedS.toFixed(1)}s  `;
  say(`${report.orderId.padEnd(8)} ${path}   ${paint(90, `${elapsed}${report.detail}`)}`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
}

async function main(): Promise<void> {
  const rate = numberFromEnv('DEMO_RATE', 2, 0.01);
  const maxOrders = numberFromEnv('DEMO_ORDERS', 0, 0);
  const services = new Services(serviceUrlsFromEnv(), operatorAuthorizationFromEnv());
  say(`Switchboard demo: CRM ${services.urls.crm}, ERP ${services.urls.erp}, SCM ${services.urls.scm}`);
  await services.assertReachable();

  say('seeding products, stock and customers ...');
  const data = await seedMasterData(services, { log: (line) => say(`  ${line}`) });

  say(`placing ${rate} order(s) per second${maxOrders > 0 ? `, ${maxOrders} in all` : ''}; Ctrl-C stops placing, a second Ctrl-C quits`);
  const stream = new OrderStream(services, data, {
    rate,
    maxOrders,
    onStep: showStep,
    onNote: (line) => say(paint(33, line)),
  });

  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts === 1) {
      say(`stopping: no new orders; following the ${stream.inFlightCount} in flight (Ctrl-C again to quit now)`);
      stream.stopPlacing();
    } else {
      stream.stop();
      process.exit(130);
    }
  });

  const summary = () => {
    const c = stream.counters;
    say(paint(1, `-- ${c.placed} placed, ${c.paid} paid, ${c.rejected} rejected, ${stream.inFlightCount} in flight, ${c.purchaseOrdersReceived} purchase order(s) received` +
      (c.cycleTimesS.length ? `; placed -> paid median ${median(c.cycleTimesS).toFixed(1)} s` : '') + (c.stuck ? `; ${c.stuck} STUCK` : '')));
  };
  const timer = setInterval(summary, 10_000);
  await stream.run();
  clearInterval(timer);
  summary();
  if (stream.counters.stuck > 0 || stream.counters.failedToPlace > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  if (error instanceof ServiceUnreachableError) process.stderr.write(`demo: ${error.message}\n`);
  else process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
