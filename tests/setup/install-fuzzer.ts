/**
 * Installs the pinned schemathesis into the cache folder once (`.ci/run` calls it before the
 * tests, so the fuzz tests do not spend their time on it): `node --import tsx tests/setup/install-fuzzer.ts`.
 */
import { ensureSchemathesis, schemathesisHome } from '../kit/schemathesis.js';

ensureSchemathesis((line) => process.stdout.write(`${line}\n`));
process.stdout.write(`schemathesis ready in ${schemathesisHome()}\n`);
