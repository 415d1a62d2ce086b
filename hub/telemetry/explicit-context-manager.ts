import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/**
 * A context manager without AsyncLocalStorage: `context.with` holds the context for the
 * synchronous call only. Switchboard passes trace contexts explicitly (a parent `Context` or a
 * `traceparent` per span), so it needs no ambient context across awaits; the SDK only uses
 * `context.with` around its own export. The SDK's default manager would, on that first export,
 * start Node 20's AsyncLocalStorage and with it a hook on every promise of the process (kafkajs
 * and ioredis make many), which cost the worker a large share of its throughput in
 * bench/telemetry-overhead.bench.ts.
 */
export class ExplicitContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.current;
    this.current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const manager = this;
    return function bound(this: unknown, ...args: unknown[]) {
      return manager.with(context, target as (...a: unknown[]) => unknown, this, ...args);
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
