import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NOTICE_TTL_MS } from './notice';
import { useNoticesStore } from './notices.store';

describe('notices store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a notice, then lets it go after NOTICE_TTL_MS', () => {
    const notices = useNoticesStore();

    notices.push({ severity: 'error', key: 'okc.notice.network' });
    expect(notices.notices).toHaveLength(1);

    vi.advanceTimersByTime(NOTICE_TTL_MS - 1);
    expect(notices.notices).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(notices.notices).toHaveLength(0);
  });

  it('does not stack the same message twice', () => {
    const notices = useNoticesStore();

    const first = notices.push({ severity: 'error', key: 'okc.notice.network' });
    const again = notices.push({ severity: 'error', key: 'okc.notice.network' });
    notices.push({ severity: 'error', key: 'okc.notice.forbidden' });

    expect(again).toBe(first);
    expect(notices.notices.map((n) => n.key)).toEqual(['okc.notice.network', 'okc.notice.forbidden']);
  });

  it('a sticky notice stays until dismissed', () => {
    const notices = useNoticesStore();

    const id = notices.push({ severity: 'warn', key: 'okc.realtime.reconnecting', sticky: true });
    vi.advanceTimersByTime(NOTICE_TTL_MS * 10);
    expect(notices.notices).toHaveLength(1);

    notices.dismiss(id);
    expect(notices.notices).toHaveLength(0);
  });
});
