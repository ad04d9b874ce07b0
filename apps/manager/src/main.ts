import { createOkcApp } from '@okc/web';
import { messages } from './locales';
import { routes } from './router';

createOkcApp({ appName: 'manager', routes, messages });
