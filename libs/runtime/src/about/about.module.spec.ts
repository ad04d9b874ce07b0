import { aboutControllerFor } from './about.module';

describe('about endpoint', () => {
  it('reports the running service and its version', () => {
    const Controller = aboutControllerFor('api/v1/focus') as unknown as new (info: {
      name: string;
      version: string;
    }) => {
      about(): unknown;
    };
    expect(new Controller({ name: 'focus', version: '1.4.0' }).about()).toEqual({
      service: 'focus',
      version: '1.4.0',
    });
  });

  it('mounts under the prefix it is given', () => {
    const path = Reflect.getMetadata('path', aboutControllerFor('api/v1/statix')) as string;
    expect(path).toBe('api/v1/statix');
  });
});
