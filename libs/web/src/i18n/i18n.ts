import { UI_LOCALES, type UiLocale } from '@okc/contracts';
import { computed, type ComputedRef } from 'vue';
import { createI18n, useI18n } from 'vue-i18n';
import en from './locales/en.json';
import ru from './locales/ru.json';

export const DEFAULT_LOCALE: UiLocale = 'ru';
const STORAGE_KEY = 'okc.locale';

/** A tree of UI strings, as in a locale JSON file. */
export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

/** The shell's own strings, all under `okc.*`; `en.json` must have every key of `ru.json` (checked here). */
export type ShellMessages = typeof ru;
export const shellMessages: Readonly<Record<UiLocale, ShellMessages>> = { ru, en };

/** An SPA's strings: anything but the shell's `okc` key. */
export type AppMessageTree = MessageTree & { readonly okc?: never };

/** An SPA's strings in both languages, of the same shape. */
export interface AppMessages<T extends AppMessageTree = AppMessageTree> {
  readonly ru: T;
  readonly en: T;
}

/** Types an SPA's locale files: `en.json` must have every key of `ru.json` (the SPA's spec checks both ways). */
export function defineAppMessages<T extends AppMessageTree>(messages: {
  readonly ru: T;
  readonly en: NoInfer<T>;
}): AppMessages<T> {
  return messages;
}

export function isUiLocale(value: unknown): value is UiLocale {
  return (UI_LOCALES as readonly unknown[]).includes(value);
}

/** The language the user picked with the switch in this browser, if any. */
export function storedLocale(): UiLocale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isUiLocale(value) ? value : null;
  } catch {
    return null; // storage disabled: the choice simply is not remembered
  }
}

function storeLocale(locale: UiLocale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

export function createOkcI18n(app?: AppMessages, locale?: UiLocale) {
  const initial = locale ?? storedLocale() ?? DEFAULT_LOCALE;
  if (typeof document !== 'undefined') document.documentElement.lang = initial;
  return createI18n({
    legacy: false,
    locale: initial,
    fallbackLocale: DEFAULT_LOCALE,
    messages: {
      ru: { ...shellMessages.ru, ...app?.ru },
      en: { ...shellMessages.en, ...app?.en },
    },
  });
}

export type OkcI18n = ReturnType<typeof createOkcI18n>;

export interface UiLocaleControl {
  readonly locale: ComputedRef<UiLocale>;
  /** Switches the UI language and, unless `remember` is false, keeps the choice in this browser. */
  readonly setLocale: (locale: UiLocale, remember?: boolean) => void;
}

/** The UI language: read it, switch it (the header's ru/en switch). */
export function useUiLocale(): UiLocaleControl {
  const i18n = useI18n({ useScope: 'global' });
  return {
    locale: computed(() => (isUiLocale(i18n.locale.value) ? i18n.locale.value : DEFAULT_LOCALE)),
    setLocale: (next, remember = true) => {
      i18n.locale.value = next;
      document.documentElement.lang = next;
      if (remember) storeLocale(next);
    },
  };
}

/** Every key path of a message tree (`okc.header.logout`), for checks that two locales match. */
export function messageKeys(tree: MessageTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : messageKeys(value, `${prefix}${key}.`),
  );
}
