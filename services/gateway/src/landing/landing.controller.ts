import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/**
 * `/`: until the gateway serves the SPAs and sign-in (issue #4), a plain page that says what is running and
 * where to look, instead of a JSON 404 for the first thing a person opens.
 */
@ApiExcludeController()
@Controller()
export class LandingController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  landing(): string {
    return LANDING_HTML;
  }
}

export const LANDING_HTML = `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OKC — Облачный Контакт Центр</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.6rem;margin-bottom:.25rem}p.en{color:#6b7280}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem}
</style>
</head>
<body>
<main>
<h1>OKC — Облачный Контакт Центр</h1>
<p>Шлюз работает. Рабочее место оператора, табло супервизора, отчёты и вход появятся здесь в следующих выпусках.</p>
<p class="en" lang="en">The gateway is running. The operator workstation, the supervisor wallboard, the reports and sign-in arrive here next.</p>
<ul>
<li><a href="/health/ready">/health/ready</a> — готовность / readiness</li>
<li><a href="/docs">/docs</a> — API (OpenAPI)</li>
<li><a href="/metrics">/metrics</a> — Prometheus</li>
</ul>
<p>Состояние инфраструктуры / infrastructure: <code>npm run infra:status</code></p>
</main>
</body>
</html>
`;
