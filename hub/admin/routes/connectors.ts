import type { FastifyInstance } from 'fastify';
import { ERRORS, isSwitchboardError } from '../../errors/index.js';
import { readControlStates, type TopicPartitionOffset } from '../../runtime/control.js';
import { ConflictError, ValidationError } from '../../service/errors.js';
import { audited } from '../audited.js';
import { connectorNamed, type AdminServices } from '../admin-services.js';
import type { AdminConnector } from '../admin-connectors.js';
import { connectorStatusView } from '../connector-status.js';
import { connectorParams, optionalReasonBody, reason } from './schemas.js';

interface ResetBody {
  readonly reason: string;
  readonly toTime?: string;
  readonly toOffsets?: readonly { readonly topic: string; readonly partition: number; readonly offset: string | number }[];
}

const resetBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason,
    toTime: { type: 'string', format: 'date-time' },
    toOffsets: {
      type: 'array', minItems: 1, maxItems: 1000,
      items: {
        type: 'object', additionalProperties: false, required: ['topic', 'partition', 'offset'],
        properties: {
          topic: { type: 'string', minLength: 1, maxLength: 249 },
          partition: { type: 'integer', minimum: 0 },
          offset: { anyOf: [{ type: 'string', pattern: '^[0-9]{1,19}$' }, { type: 'integer', minimum: 0 }] },
        },
      },
    },
  },
} as const;

/**
 * Connector routes: status of every connector (per worker and partition, rates, lag, last
 * error, the Burrow evaluation) and the operator's controls: pause, resume, restart, reset to a
 * time or to offsets. Every control is audited.
 */
export function registerConnectorRoutes(app: FastifyInstance, services: AdminServices): void {
  const { control, audit, logger } = services;
  const statusOf = async (connectors: readonly AdminConnector[]) => {
    const states = await readControlStates(services.redis, services.prefix);
    return connectors.map((connector) => connectorStatusView(connector, services.sampler.snapshot(connector.name), states.get(connector.name), services.window));
  };

  app.get('/api/connectors', {
    config: { role: 'viewer' },
    schema: { tags: ['connectors'], summary: 'Every connector: status per worker and partition, rates, lag, last error, Burrow evaluation' },
  }, async () => ({ connectors: await statusOf(services.connectors) }));

  app.get<{ Params: { name: string } }>('/api/connectors/:name', {
    config: { role: 'viewer' },
    schema: { tags: ['connectors'], summary: 'One connector\'s status', params: connectorParams },
  }, async (request) => (await statusOf([connectorNamed(services, request.params.name)]))[0]);

  const simple = (verb: 'pause' | 'resume' | 'restart', run: (name: string) => Promise<void>) => {
    app.post<{ Params: { name: string }; Body: { reason?: string } }>(`/api/connectors/:name/${verb}`, {
      config: { role: 'operator', action: `connector.${verb}` },
      schema: { tags: ['connectors'], summary: `${verb[0].toUpperCase()}${verb.slice(1)} every worker of a connector`, params: connectorParams, body: optionalReasonBody },
    }, async (request) => {
      const { name } = connectorNamed(services, request.params.name);
      await audited(audit, logger, request, { action: `connector.${verb}`, target: { connector: name }, reason: request.body.reason }, () => run(name));
      return { connector: name, desiredState: (await control.state(name)).state, ...(verb === 'restart' ? { restarted: true } : {}) };
    });
  };
  simple('pause', (name) => control.pause(name));
  simple('resume', (name) => control.resume(name));
  simple('restart', (name) => control.restart(name));

  app.post<{ Params: { name: string }; Body: ResetBody }>('/api/connectors/:name/reset', {
    config: { role: 'operator', action: 'connector.reset' },
    schema: {
      tags: ['connectors'],
      summary: 'Move the connector\'s committed offsets to a time (toTime) or to offsets (toOffsets); its workers stop until the group is empty, then resume',
      params: connectorParams,
      body: resetBody,
    },
  }, async (request) => {
    const connector = connectorNamed(services, request.params.name);
    const { toTime, toOffsets } = request.body;
    if ((toTime === undefined) === (toOffsets === undefined)) {
      throw new ValidationError(ERRORS.VALIDATION_REQUIRED.code, 'give exactly one of toTime (an ISO date-time) and toOffsets ([{topic, partition, offset}])', { field: toTime === undefined ? 'toTime' : 'toOffsets' });
    }
    const offsets = toOffsets === undefined ? undefined : await checkedOffsets(services, connector, toOffsets);
    const target = toTime !== undefined ? { toTime: new Date(Date.parse(toTime)).toISOString() } : { toOffsets: offsets };
    await audited(audit, logger, request, { action: 'connector.reset', target: { connector: connector.name }, reason: request.body.reason, detail: () => target }, async () => {
      try {
        if (toTime !== undefined) await control.resetToTimestamp(connector.name, Date.parse(toTime), connector.sources, connector.groups.main);
        else await control.resetToOffsets(connector.name, offsets ?? [], connector.groups.main);
      } catch (error) {
        if (isSwitchboardError(error) && error.code === ERRORS.RUNTIME_CONTROL.code) throw new ConflictError(ERRORS.ADMIN_RESET_BUSY.code, error.message, { cause: error });
        throw error;
      }
    });
    return { connector: connector.name, reset: target, desiredState: (await control.state(connector.name)).state };
  });
}

/** The offsets of a reset, each on a source topic of the connector, on a partition it has, within the partition's range. */
async function checkedOffsets(services: AdminServices, connector: AdminConnector, wanted: ResetBody['toOffsets'] & object): Promise<TopicPartitionOffset[]> {
  const ranges = new Map<string, Awaited<ReturnType<AdminServices['admin']['topicOffsets']>>>();
  const checked: TopicPartitionOffset[] = [];
  for (const [i, { topic, partition, offset }] of wanted.entries()) {
    if (!connector.sources.includes(topic)) {
      throw new ValidationError(ERRORS.ADMIN_INVALID_OFFSET.code, `${topic} is not a source topic of ${connector.name} (${connector.sources.join(', ')})`, { field: `toOffsets.${i}.topic` });
    }
    if (!ranges.has(topic)) ranges.set(topic, await services.admin.topicOffsets(topic));
    const range = ranges.get(topic)?.find((p) => p.partition === partition);
    if (!range) throw new ValidationError(ERRORS.ADMIN_INVALID_OFFSET.code, `${topic} has no partition ${partition}`, { field: `toOffsets.${i}.partition` });
    const value = BigInt(offset);
    if (value < BigInt(range.low) || value > BigInt(range.high)) {
      throw new ValidationError(ERRORS.ADMIN_INVALID_OFFSET.code, `offset ${offset} of ${topic} partition ${partition} is outside ${range.low}..${range.high}`, { field: `toOffsets.${i}.offset` });
    }
    checked.push({ topic, partition, offset: String(value) });
  }
  return checked;
}
