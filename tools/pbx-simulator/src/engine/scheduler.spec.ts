import { Scheduler } from './scheduler';

describe('Scheduler (virtual clock)', () => {
  it('runs tasks by time, then in the order they were scheduled, with now() at each task time', () => {
    const clock = new Scheduler(1_000_000, { kind: 'fast' });
    const seen: string[] = [];
    clock.after(2, () => seen.push(`b@${clock.now()}`));
    clock.after(1, () => seen.push(`a@${clock.now()}`));
    clock.after(2, () => seen.push(`c@${clock.now()}`));
    clock.runUntil();
    expect(seen).toEqual(['a@2000000', 'b@3000000', 'c@3000000']);
  });

  it('does not run a cancelled task', () => {
    const clock = new Scheduler(0, { kind: 'fast' });
    const seen: number[] = [];
    const timer = clock.after(1, () => seen.push(1));
    clock.after(2, () => seen.push(2));
    timer.cancel();
    clock.runUntil();
    expect(seen).toEqual([2]);
  });

  it('stops at the time given and moves the clock there', () => {
    const clock = new Scheduler(0, { kind: 'fast' });
    const seen: number[] = [];
    clock.after(1, () => seen.push(1));
    clock.after(10, () => seen.push(10));
    clock.runUntil(5_000_000);
    expect(seen).toEqual([1]);
    expect(clock.now()).toBe(5_000_000);
    expect(clock.pending).toBe(1);
  });

  it('never schedules into the past', () => {
    const clock = new Scheduler(5_000_000, { kind: 'fast' });
    let at = 0;
    clock.at(1, () => (at = clock.now()));
    clock.runUntil();
    expect(at).toBe(5_000_000);
  });
});
