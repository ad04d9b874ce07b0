import type { Role, SpaName } from '@okc/contracts';
import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RouteRecordRaw } from 'vue-router';
import type { AppMessages } from '../i18n/i18n';
import { messageKeys } from '../i18n/i18n';
import { meResponse, mountShell } from './index';

export interface SpaScaffoldCase {
  readonly appName: SpaName;
  readonly role: Role;
  readonly routes: RouteRecordRaw[];
  readonly messages: AppMessages;
  /** The route it opens on. */
  readonly firstRoute: string;
  /** The navigation, in order, per language. */
  readonly sections: { readonly ru: readonly string[]; readonly en: readonly string[] };
  /** The app's title in the header (ru). */
  readonly title: string;
}

/**
 * The checks every scaffolded SPA passes until later issues fill its pages in: its strings exist in both
 * languages under `<app>.*`, it opens on its first section with its navigation, and each section is a
 * placeholder that says what comes later. One definition for the three apps' `app.spec.ts`.
 */
export function describeSpaScaffold(c: SpaScaffoldCase): void {
  enableAutoUnmount(afterEach);

  describe(`${c.appName} SPA`, () => {
    beforeEach(() => {
      localStorage.clear();
    });

    it(`ru.json and en.json have the same keys, all under ${c.appName}.*`, () => {
      const ru = messageKeys(c.messages.ru).sort();
      expect(messageKeys(c.messages.en).sort()).toEqual(ru);
      expect(ru.every((key) => key.startsWith(`${c.appName}.`))).toBe(true);
    });

    it('every route title is a string of both languages', () => {
      const keys = new Set(messageKeys(c.messages.ru));
      const titles = c.routes.flatMap((route) => (route.meta?.titleKey ? [route.meta.titleKey] : []));
      expect(titles.length).toBeGreaterThan(0);
      expect(titles.filter((key) => !keys.has(key))).toEqual([]);
    });

    it.each([['ru' as const], ['en' as const]])(
      'opens on its first section and lists its sections (%s)',
      async (locale) => {
        const { wrapper, shell } = await mountShell({
          appName: c.appName,
          routes: c.routes,
          messages: c.messages,
          me: meResponse({ roles: [c.role] }),
          locale,
        });
        expect(shell.router.currentRoute.value.name).toBe(c.firstRoute);
        expect(wrapper.findAll('nav a').map((a) => a.text())).toEqual(c.sections[locale]);
      },
    );

    it(`${c.title}: each section is a placeholder that says what comes later`, async () => {
      const { wrapper } = await mountShell({
        appName: c.appName,
        routes: c.routes,
        messages: c.messages,
        me: meResponse({ roles: [c.role] }),
      });
      expect(wrapper.get('[data-testid="app-title"]').text()).toBe(c.title);
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
}
