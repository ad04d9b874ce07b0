/**
 * Every string of the sign-in pages, in Russian (the default) and English. Plain text only: the pages
 * escape whatever they interpolate, a client name inside a sentence included.
 */

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ru';

/** The sign-in errors the login page can show; all deliberately say nothing about whether an account exists. */
export type LoginError = 'invalid' | 'locked' | 'throttled' | 'inactive-generic' | 'required';

/** Messages `renderErrorPage` translates when given their key instead of a text. */
export type ErrorMessageKey = 'session-expired' | 'consent' | 'not-found' | 'server-error';

export interface Messages {
  /** The language's own name, for the language switch. */
  readonly languageName: string;
  readonly layout: {
    readonly languages: string;
  };
  readonly login: {
    readonly title: string;
    readonly heading: string;
    readonly toContinue: (clientName: string) => string;
    readonly loginLabel: string;
    readonly loginHint: string;
    readonly tenantLabel: string;
    readonly optional: string;
    readonly tenantHint: string;
    readonly passwordLabel: string;
    readonly submit: string;
  };
  /** Announced before an error, so it is not conveyed by colour alone. */
  readonly errorPrefix: string;
  readonly loginErrors: {
    readonly invalid: string;
    readonly required: string;
    readonly 'inactive-generic': string;
    /** `minutes` undefined: the wait is not known. */
    readonly locked: (minutes?: number) => string;
    readonly throttled: (minutes?: number) => string;
  };
  readonly consent: {
    readonly title: string;
    readonly heading: string;
    readonly request: (clientName: string) => string;
    readonly claimsIntro: string;
    readonly allow: string;
    readonly deny: string;
  };
  /** What a scope lets an application do; an unknown scope is shown by its name. */
  readonly scopes: Readonly<Record<string, string>>;
  /** What a claim is; an unknown claim is shown by its name. */
  readonly claims: Readonly<Record<string, string>>;
  readonly logout: {
    readonly title: string;
    readonly heading: string;
    readonly question: string;
    readonly yes: string;
    readonly noClient: (clientName: string) => string;
    readonly noSession: string;
  };
  readonly loggedOut: {
    readonly title: string;
    readonly heading: string;
    readonly fromClient: (clientName: string) => string;
    readonly fromAll: string;
    readonly closeTab: string;
  };
  readonly error: {
    readonly title: string;
    readonly requestId: string;
    readonly errorCode: string;
    readonly messages: Readonly<Record<ErrorMessageKey, string>>;
    /** Titles for the OAuth / OpenID Connect error codes oidc-provider reports. */
    readonly oidcTitles: Readonly<Record<string, string>>;
  };
}

const ruPlural = new Intl.PluralRules('ru');

/** «1 минуту», «3 минуты», «5 минут», «21 минуту»: the accusative after «через». */
function ruMinutes(n: number): string {
  const form = ruPlural.select(n);
  const word = form === 'one' ? 'минуту' : form === 'few' ? 'минуты' : 'минут';
  return `${n} ${word}`;
}

function enMinutes(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}

const ru: Messages = {
  languageName: 'Русский',
  layout: { languages: 'Язык' },
  login: {
    title: 'Вход',
    heading: 'Вход в OKC',
    toContinue: (client) => `чтобы продолжить в «${client}»`,
    loginLabel: 'Логин',
    loginHint: 'В виде «логин@организация», или только логин, если организация указана ниже.',
    tenantLabel: 'Организация',
    optional: '(необязательно)',
    tenantHint: 'Код организации, если он не указан в логине.',
    passwordLabel: 'Пароль',
    submit: 'Войти',
  },
  errorPrefix: 'Ошибка:',
  loginErrors: {
    invalid: 'Неверный логин или пароль.',
    required: 'Введите логин и пароль.',
    'inactive-generic':
      'Войти не удалось. Если ошибка повторяется, обратитесь к администратору вашей организации.',
    locked: (m) =>
      `Слишком много неудачных попыток входа. ${m ? `Попробуйте снова через ${ruMinutes(m)}.` : 'Попробуйте снова позже.'}`,
    throttled: (m) =>
      `Слишком много попыток входа с вашего адреса. ${m ? `Попробуйте снова через ${ruMinutes(m)}.` : 'Попробуйте снова позже.'}`,
  },
  consent: {
    title: 'Доступ к учётной записи',
    heading: 'Разрешить доступ?',
    request: (client) => `Приложение «${client}» запрашивает доступ к вашей учётной записи OKC:`,
    claimsIntro: 'Приложение получит эти сведения о вас:',
    allow: 'Разрешить',
    deny: 'Отклонить',
  },
  scopes: {
    openid: 'Узнать, что это вы (ваш идентификатор в OKC)',
    profile: 'Ваше имя, логин и язык интерфейса',
    email: 'Ваш адрес электронной почты',
    okc: 'Вашу организацию и роли в OKC',
    api: 'Работать с OKC от вашего имени',
    offline_access: 'Сохранять доступ, когда вы не пользуетесь приложением',
  },
  claims: {
    sub: 'Идентификатор',
    name: 'Имя',
    preferred_username: 'Логин',
    email: 'Адрес электронной почты',
    email_verified: 'Подтверждён ли адрес почты',
    locale: 'Язык интерфейса',
    updated_at: 'Время изменения профиля',
    tenant: 'Организация',
    roles: 'Роли',
  },
  logout: {
    title: 'Выход',
    heading: 'Выход из OKC',
    question: 'Выйти из всех приложений OKC на этом устройстве?',
    yes: 'Да, выйти из всех',
    noClient: (client) => `Нет, только из «${client}»`,
    noSession: 'Нет, остаться в системе',
  },
  loggedOut: {
    title: 'Вы вышли',
    heading: 'Вы вышли',
    fromClient: (client) => `Вы вышли из приложения «${client}».`,
    fromAll: 'Вы вышли из OKC.',
    closeTab: 'Эту вкладку можно закрыть.',
  },
  error: {
    title: 'Что-то пошло не так',
    requestId: 'Номер запроса для службы поддержки:',
    errorCode: 'Код ошибки:',
    messages: {
      'session-expired':
        'Сеанс входа устарел или был начат в другом браузере. Вернитесь в приложение и войдите заново.',
      consent: 'Этот запрос доступа уже недействителен. Вернитесь в приложение и попробуйте снова.',
      'not-found': 'Страница не найдена.',
      'server-error': 'Произошла внутренняя ошибка. Попробуйте ещё раз немного позже.',
    },
    oidcTitles: {
      invalid_request: 'Некорректный запрос',
      invalid_client: 'Неизвестное приложение',
      unauthorized_client: 'Приложению это не разрешено',
      invalid_redirect_uri: 'Неверный адрес возврата приложения',
      invalid_scope: 'Запрошен недопустимый доступ',
      access_denied: 'Доступ запрещён',
      login_required: 'Нужно войти',
      consent_required: 'Нужно ваше согласие',
      session_not_found: 'Сеанс не найден',
      server_error: 'Ошибка сервера',
      temporarily_unavailable: 'Сервис временно недоступен',
    },
  },
};

const en: Messages = {
  languageName: 'English',
  layout: { languages: 'Language' },
  login: {
    title: 'Sign in',
    heading: 'Sign in to OKC',
    toContinue: (client) => `to continue to “${client}”`,
    loginLabel: 'Login',
    loginHint: 'As “login@organization”, or just your login if the organization is given below.',
    tenantLabel: 'Organization',
    optional: '(optional)',
    tenantHint: 'Your organization’s code, if it is not part of the login.',
    passwordLabel: 'Password',
    submit: 'Sign in',
  },
  errorPrefix: 'Error:',
  loginErrors: {
    invalid: 'Wrong login or password.',
    required: 'Enter your login and password.',
    'inactive-generic': 'Sign-in failed. If this keeps happening, contact your organization’s administrator.',
    locked: (m) =>
      `Too many failed sign-in attempts. ${m ? `Try again in ${enMinutes(m)}.` : 'Try again later.'}`,
    throttled: (m) =>
      `Too many sign-in attempts from your address. ${m ? `Try again in ${enMinutes(m)}.` : 'Try again later.'}`,
  },
  consent: {
    title: 'Account access',
    heading: 'Allow access?',
    request: (client) => `The application “${client}” asks for access to your OKC account:`,
    claimsIntro: 'The application will receive this information about you:',
    allow: 'Allow',
    deny: 'Deny',
  },
  scopes: {
    openid: 'Confirm who you are (your OKC identifier)',
    profile: 'Your name, login and interface language',
    email: 'Your email address',
    okc: 'Your organization and roles in OKC',
    api: 'Use OKC on your behalf',
    offline_access: 'Keep access while you are not using the application',
  },
  claims: {
    sub: 'Identifier',
    name: 'Name',
    preferred_username: 'Login',
    email: 'Email address',
    email_verified: 'Whether the email address is verified',
    locale: 'Interface language',
    updated_at: 'When the profile was last changed',
    tenant: 'Organization',
    roles: 'Roles',
  },
  logout: {
    title: 'Sign out',
    heading: 'Sign out of OKC',
    question: 'Sign out of every OKC application on this device?',
    yes: 'Yes, sign out of all',
    noClient: (client) => `No, only of “${client}”`,
    noSession: 'No, stay signed in',
  },
  loggedOut: {
    title: 'Signed out',
    heading: 'You have signed out',
    fromClient: (client) => `You have signed out of “${client}”.`,
    fromAll: 'You have signed out of OKC.',
    closeTab: 'You can close this tab.',
  },
  error: {
    title: 'Something went wrong',
    requestId: 'Request number for support:',
    errorCode: 'Error code:',
    messages: {
      'session-expired':
        'The sign-in session has expired or was started in another browser. Go back to the application and sign in again.',
      consent: 'This access request is no longer valid. Go back to the application and try again.',
      'not-found': 'Page not found.',
      'server-error': 'An internal error occurred. Please try again a little later.',
    },
    oidcTitles: {
      invalid_request: 'Invalid request',
      invalid_client: 'Unknown application',
      unauthorized_client: 'The application is not allowed to do this',
      invalid_redirect_uri: 'The application’s return address is wrong',
      invalid_scope: 'The requested access is not allowed',
      access_denied: 'Access denied',
      login_required: 'Sign-in required',
      consent_required: 'Your consent is required',
      session_not_found: 'Session not found',
      server_error: 'Server error',
      temporarily_unavailable: 'The service is temporarily unavailable',
    },
  },
};

export const MESSAGES: Readonly<Record<Locale, Messages>> = { ru, en };

export function messagesFor(locale: Locale): Messages {
  return MESSAGES[locale];
}

/** A supported locale from a language tag's primary subtag: `en-GB` → en, `RU_ru` → ru, `de` → undefined. */
export function localeFromTag(tag: string | undefined): Locale | undefined {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return LOCALES.find((l) => l === primary);
}

/** The first supported language of an Accept-Language header, by decreasing q (ties: in header order). */
function fromAcceptLanguage(header: string): Locale | undefined {
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';').map((s) => s.trim());
      const q = params.find((p) => /^q=/i.test(p));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0 && entry.tag !== '*')
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = localeFromTag(tag);
    if (locale) return locale;
  }
  return undefined;
}

/**
 * The page language: an explicit `?lang=` (the language switch) first, then the OpenID Connect
 * `ui_locales` request parameter (space-separated, in order of preference), then the browser's
 * Accept-Language, then Russian. Unsupported values at any level fall through to the next.
 */
export function pickLocale(sources: { query?: string; uiLocales?: string; acceptLanguage?: string }): Locale {
  const fromUi = sources.uiLocales
    ?.split(/\s+/)
    .map(localeFromTag)
    .find((l) => l !== undefined);
  return (
    localeFromTag(sources.query) ??
    fromUi ??
    (sources.acceptLanguage ? fromAcceptLanguage(sources.acceptLanguage) : undefined) ??
    DEFAULT_LOCALE
  );
}
