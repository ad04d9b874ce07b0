import { spaPath, spasOpenTo, type SessionUser, type SpaName } from '@okc/contracts';

const APP_TITLES: Record<SpaName, { ru: string; en: string }> = {
  operator: { ru: 'FOCUS — рабочее место оператора', en: 'FOCUS — operator workstation' },
  supervisor: { ru: 'Супервизор: монитор и сценарии', en: 'Supervisor: wallboard and scripts' },
  manager: { ru: 'Руководитель: отчёты', en: 'Manager: reports' },
};

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export interface LandingView {
  readonly user?: Pick<SessionUser, 'name' | 'login' | 'tenant' | 'roles'>;
  /** The last sign-in came back refused (sso's access_denied, a stale callback). */
  readonly signInFailed?: boolean;
}

/**
 * `/`: who is signed in and the applications their roles open (the same table the SPAs use), or a sign-in
 * link. Plain HTML, Russian first with English beside it, no script.
 */
export function renderLanding(view: LandingView): string {
  const { user } = view;
  const apps = user ? spasOpenTo(user.roles) : [];
  const body = user
    ? `<p>Вы вошли как <strong>${escape(user.name || user.login)}</strong> (${escape(user.login)}@${escape(user.tenant)}).
<span lang="en">Signed in as ${escape(user.login)}@${escape(user.tenant)}.</span></p>
${
  apps.length
    ? `<ul class="apps">${apps
        .map(
          (spa) =>
            `<li><a href="${spaPath(spa)}">${APP_TITLES[spa].ru}</a> <span lang="en">— ${APP_TITLES[spa].en}</span></li>`,
        )
        .join('')}</ul>`
    : `<p role="status">Для ваших ролей нет приложений: интеграторы работают через API (<a href="/docs">/docs</a>).
<span lang="en">No application fits your roles; integrators use the API.</span></p>`
}`
    : `<p><a class="button" href="/auth/login?returnTo=%2F">Войти</a> <span lang="en">Sign in</span></p>`;
  const failed = view.signInFailed
    ? `<p role="alert" class="error">Вход не выполнен. Попробуйте ещё раз. <span lang="en">Sign-in did not complete; try again.</span></p>`
    : '';
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OKC — Облачный Контакт Центр</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.6rem;margin-bottom:.25rem}[lang=en]{color:#4b5563}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem}
a{color:#0b4fb3}.apps li{margin:.5rem 0}.button{display:inline-block;padding:.5rem 1.25rem;background:#0b4fb3;color:#fff;border-radius:.375rem;text-decoration:none}
.error{padding:.5rem 1rem;border:2px solid #b3261e;background:#fdecea;border-radius:.375rem}
</style>
</head>
<body>
<main>
<h1>OKC — Облачный Контакт Центр</h1>
${failed}
${body}
<p class="links"><a href="/health/ready">/health/ready</a> · <a href="/docs">/docs</a> (API) · <a href="/metrics">/metrics</a></p>
</main>
</body>
</html>
`;
}
