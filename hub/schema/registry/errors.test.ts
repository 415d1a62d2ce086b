import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRegistryError, registryErrors, RegistryError } from './errors.js';

describe('registry errors', () => {
  const e = registryErrors;
  const all: RegistryError[] = [
    e.subjectNotFound('s'), e.versionNotFound('s', 1), e.schemaNotFound(), e.subjectSoftDeleted('s'), e.subjectNotSoftDeleted('s'),
    e.versionSoftDeleted('s', 1), e.versionNotSoftDeleted('s', 1), e.subjectConfigNotFound('s'), e.incompatible('s', ['reason']),
    e.invalidSchema('x'), e.invalidVersion('x'), e.invalidCompatibilityLevel('x'), e.malformedRequest('x'), e.writerUnavailable('x'), e.storeError('x'),
  ];

  it('lists every factory', () => {
    expect(all).toHaveLength(Object.keys(registryErrors).length);
  });

  it('all carry Confluent shapes, HTTP statuses and stable Switchboard codes', () => {
    for (const error of all) {
      expect(isRegistryError(error)).toBe(true);
      expect(error.toBody()).toEqual({ error_code: error.errorCode, message: error.message });
      expect(String(error.errorCode).startsWith(String(error.httpStatus).slice(0, 1))).toBe(true);
      expect(error.code).toMatch(/^SWB_ERR_REGISTRY_[A-Z_]+$/);
    }
    expect(registryErrors.storeError('x').retriable).toBe(true);
    expect(registryErrors.invalidSchema('x').retriable).toBe(false);
    // Not the client's fault, and not a failure either: 503, retry.
    expect(registryErrors.writerUnavailable('x')).toMatchObject({ httpStatus: 503, errorCode: 50003, retriable: true });
  });

  it('are exactly the codes the README lists', () => {
    const readme = readFileSync(fileURLToPath(new URL('./README.md', import.meta.url)), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| \d{3} \| (\d+) \|/gm)].map((m) => Number(m[1])));
    // 404 (unknown route), 414 (subject too long) and 415 come from the HTTP layer, not from registryErrors.
    const thrown = new Set([...all.map((e) => e.errorCode), 404, 414, 415]);
    expect([...documented].sort()).toEqual([...thrown].sort());
  });
});
