import { register as defaultRegistry, type Registry } from 'prom-client';

type MetricClass<M, C> = new (config: C) => M;

/**
 * Returns the metric registered under `config.name`, creating it on first use. Several consumers or relays in
 * one process (and jest's module re-evaluation) must not register the same name twice.
 */
export function getOrCreateMetric<M, C extends { name: string; registers?: Registry[] }>(
  registry: Registry | undefined,
  Kind: MetricClass<M, C>,
  config: C,
): M {
  const target = registry ?? defaultRegistry;
  const existing = target.getSingleMetric(config.name) as M | undefined;
  if (existing) return existing;
  return new Kind({ ...config, registers: [target] });
}
