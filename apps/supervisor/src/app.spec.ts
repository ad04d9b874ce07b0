import { describeSpaScaffold } from '@okc/web/testing';
import { messages } from './locales';
import { routes } from './router';

describeSpaScaffold({
  appName: 'supervisor',
  role: 'supervisor',
  routes,
  messages,
  firstRoute: 'wallboard',
  sections: { ru: ['Монитор', 'Сценарии'], en: ['Wallboard', 'Scripts'] },
  title: 'Супервизор — монитор и сценарии',
});
