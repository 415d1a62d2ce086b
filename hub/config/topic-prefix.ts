import { z } from 'zod';
import { loadConfig } from './load-config.js';

const shape = {
  SWITCHBOARD_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-"')
    .default('')
    .describe('prefix of every topic, subject and consumer group, to run several isolated systems on one cluster'),
};

/** `SWITCHBOARD_TOPIC_PREFIX`: empty in production; tests and demos isolate themselves with it. */
export function loadTopicPrefix(env: NodeJS.ProcessEnv = process.env): string {
  return loadConfig('topics', shape, env).SWITCHBOARD_TOPIC_PREFIX;
}
