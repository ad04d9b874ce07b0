import type { Role, SpaName } from '@okc/contracts';
import { inject, type InjectionKey } from 'vue';
import type { NavItem } from './okc-routes';

/** What the shell's components need to know about the SPA they run in. */
export interface ShellConfig {
  readonly appName: SpaName;
  readonly allowedRoles: readonly Role[];
  readonly nav: readonly NavItem[];
}

export const SHELL_CONFIG: InjectionKey<ShellConfig> = Symbol('okc-shell-config');

export function useShellConfig(): ShellConfig {
  const config = inject(SHELL_CONFIG);
  if (!config) throw new Error('@okc/web: the shell is not installed (createOkcApp / okcShell)');
  return config;
}
