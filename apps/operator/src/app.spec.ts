import { describeSpaScaffold } from '@okc/web/testing';
import { messages } from './locales';
import { routes } from './router';

describeSpaScaffold({
  appName: 'operator',
  role: 'operator',
  routes,
  messages,
  firstRoute: 'status',
  sections: { ru: ['Мой статус', 'Текущий звонок', 'История'], en: ['My status', 'Current call', 'History'] },
  title: 'FOCUS — рабочее место оператора',
});
