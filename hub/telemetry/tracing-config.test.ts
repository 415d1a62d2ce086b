import { loadTracingConfig } from './tracing-config.js';

describe('loadTracingConfig', () => {
  it('leaves tracing off unless an endpoint or exporter is set', () => {
    expect(loadTracingConfig({})).toEqual({ enabled: false });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toEqual({ enabled: false });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' })).toEqual({ enabled: false });
  });

  it('exports OTLP/HTTP JSON to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })).toEqual({ enabled: true, exporter: 'otlp-json', destination: 'http://127.0.0.1:4318/v1/traces', sampling: 'every trace', parentBasedSampling: true });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' })).toEqual({ enabled: true, exporter: 'otlp-json', destination: 'http://collector:4318/custom', sampling: 'every trace', parentBasedSampling: true });
    expect(loadTracingConfig({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ enabled: true, exporter: 'otlp-json' });
  });

  it('lets the SDK build another protocol or exporter from the same variables', () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatchObject({ enabled: true, exporter: 'from-env' });
    expect(loadTracingConfig({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ enabled: true, exporter: 'from-env' });
  });

  it('names the variable that holds a bad value', () => {
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL/);
    expect(() => loadTracingConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
  });

  it('takes the standard sampler, and refuses one the SDK would only complain about and ignore', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(loadTracingConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' })).toMatchObject({ enabled: true, sampling: 'parentbased_traceidratio 0.1', parentBasedSampling: true });
    expect(loadTracingConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'parentbased_always_off' })).toMatchObject({ enabled: true, sampling: 'parentbased_always_off' });
    expect(loadTracingConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'always_on' })).toMatchObject({ enabled: true, sampling: 'always_on', parentBasedSampling: false });
    expect(() => loadTracingConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'ratio' })).toThrow(/OTEL_TRACES_SAMPLER: .*parentbased_traceidratio/);
    expect(() => loadTracingConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio' })).toThrow(/OTEL_TRACES_SAMPLER_ARG: is required with OTEL_TRACES_SAMPLER=traceidratio/);
    expect(() => loadTracingConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: ' ' })).toThrow(/OTEL_TRACES_SAMPLER_ARG: is required/);
    expect(() => loadTracingConfig({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '10' })).toThrow(/OTEL_TRACES_SAMPLER_ARG: must be a ratio between 0 and 1/);
  });
});
