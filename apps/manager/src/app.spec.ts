import { messageKeys } from '@okc/web';
import { meResponse, mountShell } from '@okc/web/testing';
import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { messages } from './locales';
import { routes } from './router';

enableAutoUnmount(afterEach);

describe('manager SPA', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it('ru.json and en.json have the same keys, all under manager.*', () => {
    const ru = messageKeys(messages.ru).sort();
    expect(messageKeys(messages.en).sort()).toEqual(ru);
    expect(ru.every((key) => key.startsWith('manager.'))).toBe(true);
  });

  it('every route title is a string of both languages', () => {
    const keys = new Set(messageKeys(messages.ru));
    const titles = routes.flatMap((route) => (route.meta?.titleKey ? [route.meta.titleKey] : []));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.filter((key) => !keys.has(key))).toEqual([]);
  });

  it.each([
    ['ru', ['Отчёты']],
    ['en', ['Reports']],
  ] as const)('opens on its first section and lists its sections (%s)', async (locale, titles) => {
    const { wrapper, shell } = await mountShell({
      appName: 'manager',
      routes,
      messages,
      me: meResponse({ roles: ['manager'] }),
      locale,
    });

    expect(shell.router.currentRoute.value.name).toBe('reports');
    expect(wrapper.findAll('nav a').map((a) => a.text())).toEqual(titles);
  });

  it('Руководитель — отчёты: each section is a placeholder that says what comes later', async () => {
    const { wrapper } = await mountShell({
      appName: 'manager',
      routes,
      messages,
      me: meResponse({ roles: ['manager'] }),
    });
    expect(wrapper.get('[data-testid="app-title"]').text()).toBe('Руководитель — отчёты');

    for (const link of wrapper.findAll('nav a')) {
      await link.trigger('click');
      // The section's view is a lazy chunk: wait until it has replaced the previous one.
      await vi.waitFor(() =>
        expect(wrapper.get('main [data-testid="empty-state"] h2').text()).toBe(link.text()),
      );
      const placeholder = wrapper.get('main [data-testid="empty-state"]');
      expect(placeholder.text()).toContain('Здесь');
      expect(placeholder.text()).toContain('Раздел появится в одной из следующих задач.');
    }
  });
});
