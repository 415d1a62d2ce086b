import kafkajs from 'kafkajs';
import { accessDenial, causeChain, PublishError } from './bus-errors.js';

const { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

/** kafkajs's error for a Kafka error code, as its protocol layer builds it. */
function protocolError(type: string, code: number): Error {
  return new KafkaJSProtocolError(Object.assign(new Error(`${type} from the broker`), { type, code, retriable: false }));
}

describe('causeChain', () => {
  it('lists a wrapped kafkajs refusal outermost first, with its Kafka error type', () => {
    const refusal = protocolError('NOT_LEADER_FOR_PARTITION', 6);
    const failure = new PublishError('produce of 1 send(s) failed', new KafkaJSNumberOfRetriesExceeded(refusal, { retryCount: 5, retryTime: 100 }));
    const chain = causeChain(failure);
    expect(chain[0]).toBe(failure);
    expect(chain.map((link) => link.type)).toEqual([undefined, undefined, 'NOT_LEADER_FOR_PARTITION']);
  });

  it('stops at 8 links when errors wrap each other in a cycle', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    Object.assign(first, { cause: second });
    expect(causeChain(first)).toHaveLength(8);
  });
});

describe('accessDenial', () => {
  it("names Kafka's refusal found anywhere in the chain", () => {
    const failure = new PublishError('produce of 1 send(s) failed', protocolError('TOPIC_AUTHORIZATION_FAILED', 29));
    expect(accessDenial(failure)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('is undefined for a failure that is not a refusal', () => {
    expect(accessDenial(new PublishError('produce of 1 send(s) failed', protocolError('NOT_LEADER_FOR_PARTITION', 6)))).toBeUndefined();
  });
});
