import { SwitchboardError } from '../errors/index.js';
import { asMappingFailure } from './action-executor.js';
import { MissingDependencyError } from '../errors/index.js';
import { TargetRejectedError, TargetUnavailableError, classifyFailure } from './errors.js';
import { derivedEventId } from './event-id.js';

describe('failure classification', () => {
  it('keeps what Switchboard errors say about themselves', () => {
    expect(classifyFailure(new MissingDependencyError('no account'))).toEqual({ retriable: true, code: 'SWB_ERR_RUNTIME_MISSING_DEPENDENCY', message: 'no account' });
    expect(classifyFailure(new TargetUnavailableError('503', 503)).retriable).toBe(true);
    expect(classifyFailure(new TargetRejectedError('400', 400, {})).retriable).toBe(false);
    expect(classifyFailure(new SwitchboardError('SWB_ERR_RUNTIME_CONTROL', 'x'))).toMatchObject({ code: 'SWB_ERR_RUNTIME_CONTROL', retriable: true });
  });

  it('never retries programming errors or unknown errors', () => {
    expect(classifyFailure(new TypeError('x is undefined'))).toMatchObject({ retriable: false, code: 'SWB_ERR_RUNTIME_MAPPING_BUG' });
    expect(classifyFailure(new Error('what'))).toMatchObject({ retriable: false, code: 'SWB_ERR_RUNTIME_UNEXPECTED' });
    expect(classifyFailure('a string')).toMatchObject({ retriable: false });
  });

  it('turns what a mapping throws into mapping failures', () => {
    expect(asMappingFailure(new RangeError('bad index'))).toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING_BUG', retriable: false });
    expect(asMappingFailure(new Error('nope'))).toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false });
    const missing = new MissingDependencyError('later');
    expect(asMappingFailure(missing)).toBe(missing);
  });
});

describe('derivedEventId', () => {
  it('is a stable UUID per name', () => {
    expect(derivedEventId('c:e1:p0')).toBe(derivedEventId('c:e1:p0'));
    expect(derivedEventId('c:e1:p0')).not.toBe(derivedEventId('c:e1:p1'));
    expect(derivedEventId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
