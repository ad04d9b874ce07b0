import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOkcI18n, messageKeys, shellMessages, storedLocale } from './i18n';

describe('shell strings and languages', () => {
  afterEach(() => {
    localStorage.clear();
  });

  it('ru.json and en.json have exactly the same keys', () => {
    expect(messageKeys(shellMessages.en).sort()).toEqual(messageKeys(shellMessages.ru).sort());
  });

  it('every shell string is under okc.* and none is empty', () => {
    for (const locale of ['ru', 'en'] as const) {
      const keys = messageKeys(shellMessages[locale]);
      expect(keys.every((key) => key.startsWith('okc.'))).toBe(true);
      const i18n = createOkcI18n(undefined, locale);
      for (const key of keys)
        expect(i18n.global.t(key, { tenant: 't', roles: 'r', app: 'a', requestId: 'x' })).not.toBe('');
    }
  });

  it('Russian is the default; a remembered valid choice wins; garbage in storage is ignored', () => {
    expect(createOkcI18n().global.locale.value).toBe('ru');

    localStorage.setItem('okc.locale', 'en');
    expect(storedLocale()).toBe('en');
    expect(createOkcI18n().global.locale.value).toBe('en');

    localStorage.setItem('okc.locale', 'de');
    expect(storedLocale()).toBeNull();
    expect(createOkcI18n().global.locale.value).toBe('ru');
  });

  it("an SPA's strings are merged over the shell's, and a missing English string falls back to Russian", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const i18n = createOkcI18n(
      { ru: { app: { hello: 'Привет', only: 'Только по-русски' } }, en: { app: { hello: 'Hello' } } },
      'en',
    );

    expect(i18n.global.t('app.hello')).toBe('Hello');
    expect(i18n.global.t('okc.header.logout')).toBe('Sign out');
    expect(i18n.global.t('app.only')).toBe('Только по-русски');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("Not found 'app.only' key in 'en'"));
  });
});
