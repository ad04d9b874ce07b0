import type { SessionUser } from '@okc/contracts';

/** What a browser session keeps server-side, in Redis: never sent to the browser. */
export interface SessionTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch seconds. */
  expiresAt: number;
  user: SessionUser;
}

declare module 'express-session' {
  interface SessionData {
    okc?: SessionTokens;
    /** The synchronizer token every non-GET request of this session must echo in `x-csrf-token`. */
    csrfToken?: string;
    /** Where to go after sign-in (a same-origin path). */
    returnTo?: string;
  }
}
