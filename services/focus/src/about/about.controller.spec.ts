import { AboutController } from './about.controller';

describe('AboutController', () => {
  it('reports the running service and its version', () => {
    const controller = new AboutController({ name: 'focus', version: '1.4.0' });
    expect(controller.about()).toEqual({ service: 'focus', version: '1.4.0' });
  });
});
