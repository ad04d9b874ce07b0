export type NoticeSeverity = 'info' | 'success' | 'warn' | 'error';

/** What the shell shows in its notice stack: an i18n key and its parameters, so it follows the UI language. */
export interface NoticeInput {
  readonly severity: NoticeSeverity;
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
  /** Stays until the user closes it; otherwise it goes away after NOTICE_TTL_MS. */
  readonly sticky?: boolean;
}

export interface Notice extends NoticeInput {
  readonly id: number;
}

export const NOTICE_TTL_MS = 8000;
