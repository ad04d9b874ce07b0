import { describeSpaScaffold } from '@okc/web/testing';
import { messages } from './locales';
import { routes } from './router';

describeSpaScaffold({
  appName: 'manager',
  role: 'manager',
  routes,
  messages,
  firstRoute: 'reports',
  sections: { ru: ['Отчёты'], en: ['Reports'] },
  title: 'Руководитель — отчёты',
});
