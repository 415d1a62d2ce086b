/**
 * A CRM, ERP or SCM started inside the test process on a free port, with its own database in
 * a fresh temporary folder (no outbox relay: nothing it writes reaches Kafka). Connector
 * integration tests point a worker at it and assert on its HTTP routes and database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SystemName } from '../../catalogue/index.js';
import type { ServiceAuth } from '../../hub/auth/index.js';
import type { ServiceApp } from '../../hub/service/index.js';
import { SERVICE_APPS } from '../../services/index.js';
import { kitCredentials } from './credentials.js';

/** A service listening on 127.0.0.1: its app, database and outbox, its base URL, and `stop()`. */
export type InProcessService<N extends SystemName = SystemName> = ServiceApp & {
  readonly name: N;
  /** Base URL, e.g. `http://127.0.0.1:43125`. */
  readonly url: string;
  /** Closes the app (and with it the database) and removes the folder. */
  stop(): Promise<void>;
};

/** How to start an in-process service. */
export interface InProcessServiceOptions {
  /** Caller checks; default the kit's credentials, required for writes (`kitCredentials().serviceAuth`). */
  readonly auth?: ServiceAuth;
  /** Runs after the app is built and before it listens: the place for a test's own hooks. */
  readonly prepare?: (service: ServiceApp) => void | Promise<void>;
}

/**
 * Starts `name` in-process on a free port with a fresh database. Writes need a credential, as
 * in `switchboard up`: the kit's HTTP helpers and workers send theirs.
 *
 * @example
 * ```ts
 * const erp = await startServiceInProcess('erp');
 * await fetch(`${erp.url}/accounts/C-1017`);
 * erp.db.prepare('SELECT count(*) AS n FROM outbox').get();
 * await erp.stop();
 * ```
 */
export async function startServiceInProcess<N extends SystemName>(name: N, options: InProcessServiceOptions = {}): Promise<InProcessService<N>> {
  const dir = mkdtempSync(join(tmpdir(), `swb-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let service: ServiceApp;
  try {
    service = await (await SERVICE_APPS[name]())({ dbPath: join(dir, `${name}.db`), docsUi: false, auth: options.auth ?? kitCredentials().serviceAuth });
  } catch (error) {
    remove();
    throw error;
  }
  const stop = async () => {
    await service.app.close();
    remove();
  };
  try {
    await options.prepare?.(service);
    const url = await service.app.listen({ port: 0, host: '127.0.0.1' });
    return { ...service, name, url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
