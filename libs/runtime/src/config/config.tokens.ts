import { Inject } from '@nestjs/common';

/** Injection token of the parsed, typed configuration (`z.infer` of the service's schema). */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** `constructor(@InjectConfig() config: AppConfig)` — shorthand for `@Inject(APP_CONFIG)`. */
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);

/** Injection token of `{ name, version }` of the running service. */
export const SERVICE_INFO = Symbol('SERVICE_INFO');

export interface ServiceInfo {
  readonly name: string;
  readonly version: string;
}
