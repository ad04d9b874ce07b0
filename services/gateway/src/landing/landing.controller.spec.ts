import { LandingController } from './landing.controller';

describe('LandingController', () => {
  it('answers / with a Russian-first page that links to readiness and the API docs', () => {
    const html = new LandingController().landing();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('href="/health/ready"');
    expect(html).toContain('href="/docs"');
    expect(html).toContain('lang="en"');
  });
});
