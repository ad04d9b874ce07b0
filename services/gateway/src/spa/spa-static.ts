import { existsSync } from 'node:fs';
import path from 'node:path';
import { SPA_NAMES, type SpaName } from '@okc/contracts';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';

/** `apps/` of the repository: src/spa and dist/spa are both three levels under services/gateway. */
export const DEFAULT_APPS_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'apps');

function notBuilt(spa: SpaName) {
  return (_req: Request, res: Response) => {
    res
      .status(503)
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(
        `<!doctype html><html lang="ru"><meta charset="utf-8"><title>OKC</title>` +
          `<p>Приложение «${spa}» не собрано. Выполните <code>npm run build</code>.</p>` +
          `<p lang="en">The ${spa} app is not built. Run <code>npm run build</code>.</p></html>`,
      );
  };
}

/**
 * The three SPAs at `/operator/`, `/supervisor/`, `/manager/`, from `apps/<name>/dist`: hashed assets
 * cached for a year, `index.html` never (a new build is picked up at once), and every other path under the
 * app answers `index.html` so a deep link or a reload lands in the app's router. `/operator` redirects to
 * `/operator/`. Who may use an app is the app's (and the API's) business: these files are public.
 */
export function spaStatic(appsDir: string = DEFAULT_APPS_DIR): RequestHandler {
  const router = Router();
  for (const spa of SPA_NAMES) {
    const dist = path.join(appsDir, spa, 'dist');
    const index = path.join(dist, 'index.html');
    // Express matches `/operator` and `/operator/` alike (non-strict routing): redirect the bare one only.
    router.get(`/${spa}`, (req, res, next) =>
      req.originalUrl.split('?')[0] === `/${spa}` ? res.redirect(301, `/${spa}/`) : next(),
    );
    if (!existsSync(index)) {
      router.get(`/${spa}/{*rest}`, notBuilt(spa));
      continue;
    }
    router.use(
      `/${spa}`,
      express.static(dist, {
        index: false,
        fallthrough: true,
        setHeaders(res, file) {
          res.setHeader(
            'Cache-Control',
            file.includes(`${path.sep}assets${path.sep}`)
              ? 'public, max-age=31536000, immutable'
              : 'no-cache',
          );
        },
      }),
    );
    router.get(`/${spa}/{*rest}`, (req, res, next) => {
      // A missing asset is a 404, not the app's page (a broken build must not look like a blank app).
      if (req.path.startsWith(`/${spa}/assets/`)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  }
  return router;
}
