import { AboutController } from './about.controller';

describe('AboutController', () => {
  it('reports the running service and its version', () => {
    const controller = new AboutController({ name: 'helper', version: '1.4.0' });
    expect(controller.about()).toEqual({ service: 'helper', version: '1.4.0' });
  });
});
