import { defineComponent, h } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { AppMessages } from '../i18n/i18n';

/** A tiny SPA for the shell's tests: two sections for everyone, one for supervisors only. */
export const testMessages: AppMessages = {
  ru: { test: { queue: 'Очередь', calls: 'Звонки', secret: 'Только супервизорам' } },
  en: { test: { queue: 'Queue', calls: 'Calls', secret: 'Supervisors only' } },
};

const view = (testId: string) => defineComponent({ render: () => h('p', { 'data-testid': testId }, testId) });

export const testRoutes: RouteRecordRaw[] = [
  { path: '/', redirect: { name: 'queue' } },
  {
    path: '/queue',
    name: 'queue',
    component: view('queue-view'),
    meta: { titleKey: 'test.queue', nav: true },
  },
  {
    path: '/calls',
    name: 'calls',
    component: () => Promise.resolve(view('calls-view')),
    meta: { titleKey: 'test.calls', nav: true },
  },
  {
    path: '/secret',
    name: 'secret',
    component: view('secret-view'),
    meta: { titleKey: 'test.secret', nav: true, roles: ['supervisor'] },
  },
  {
    path: '/calls/:id',
    name: 'call',
    component: view('call-view'),
    meta: { titleKey: 'test.calls', nav: true },
  },
];
