/**
 * The virtual clock and its timers. Time is integer microseconds since the epoch, the resolution of the
 * `Timestamp:` header. In fast mode tasks run back to back; in real-time mode virtual time follows the wall
 * clock times `speed`. Inside a task, now() is the task's own time, so a run's timestamps depend only on the
 * seed, never on how busy the machine was.
 */
export interface TimerHandle {
  readonly at: number;
  cancel(): void;
}

export type ClockMode = { readonly kind: 'fast' } | { readonly kind: 'realtime'; readonly speed: number };

interface Task {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

/** Tasks run between two yields to the event loop in fast mode (sockets get written, actions get read). */
const FAST_BATCH = 500;

export class Scheduler {
  private readonly heap: Task[] = [];
  private seq = 0;
  private current: number;
  private readonly wallStart = performance.now();
  private readonly virtualStart: number;
  private started = false;
  private stopped = false;
  private holds = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private draining = false;
  private readonly idleListeners: (() => void)[] = [];
  /** A task that throws is reported here and the clock goes on (one broken call must not stop the PBX). */
  onError: (error: unknown) => void = (error) => {
    process.stderr.write(
      `pbx-simulator: a scheduled task failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  };

  constructor(
    startMicros: number,
    readonly mode: ClockMode,
  ) {
    this.current = startMicros;
    this.virtualStart = startMicros;
  }

  /** Virtual now: the running task's time, or (real time, between tasks) the wall clock's. */
  now(): number {
    if (this.mode.kind === 'realtime' && this.started && !this.draining) {
      const wall =
        this.virtualStart + Math.floor((performance.now() - this.wallStart) * 1000 * this.mode.speed);
      if (wall > this.current) {
        const next = this.peek();
        // Never move past a task that is due and has not run yet: its events would go back in time.
        this.current = next && next.at < wall ? Math.max(this.current, next.at) : wall;
      }
    }
    return this.current;
  }

  get pending(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  at(micros: number, run: () => void): TimerHandle {
    const task: Task = {
      at: Math.max(Math.round(micros), this.current),
      seq: this.seq++,
      run,
      cancelled: false,
    };
    this.push(task);
    if (this.started) this.arm();
    return {
      at: task.at,
      cancel: () => {
        task.cancelled = true;
      },
    };
  }

  after(seconds: number, run: () => void): TimerHandle {
    return this.at(this.now() + seconds * 1e6, run);
  }

  /** Runs the tasks that are due by now (real time), so that an action's events come after theirs. */
  catchUp(): void {
    if (this.mode.kind !== 'realtime' || !this.started || this.draining) return;
    const wall =
      this.virtualStart + Math.floor((performance.now() - this.wallStart) * 1000 * this.mode.speed);
    this.drain(wall, Number.POSITIVE_INFINITY);
    if (wall > this.current) this.current = wall;
  }

  /** Runs every task up to `untilMicros` synchronously (unit tests and scripted scenarios). */
  runUntil(untilMicros = Number.POSITIVE_INFINITY): void {
    this.drain(untilMicros, Number.POSITIVE_INFINITY);
    if (Number.isFinite(untilMicros) && untilMicros > this.current) this.current = untilMicros;
  }

  /** Starts the asynchronous loop (fast or real time). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /** Backpressure: a slow reader holds the loop (fast mode) until it has drained its socket. */
  hold(): void {
    this.holds++;
  }

  release(): void {
    this.holds = Math.max(0, this.holds - 1);
    if (this.holds === 0 && this.started) this.arm();
  }

  /** Called whenever the loop finds no task left. */
  onIdle(listener: () => void): void {
    this.idleListeners.push(listener);
  }

  private arm(): void {
    if (this.stopped || this.holds > 0) return;
    if (this.mode.kind === 'fast') {
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.tick();
      });
      return;
    }
    const next = this.peek();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!next) return;
    const delayMs = Math.max(0, (next.at - this.now()) / 1000 / this.mode.speed);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.tick();
      },
      Math.min(delayMs, 2 ** 31 - 1),
    );
  }

  private tick(): void {
    if (this.stopped || this.holds > 0) return;
    if (this.mode.kind === 'fast') {
      this.drain(Number.POSITIVE_INFINITY, FAST_BATCH);
    } else {
      this.catchUp();
    }
    if (this.peek()) this.arm();
    else for (const listener of this.idleListeners) listener();
  }

  private drain(untilMicros: number, maxTasks: number): void {
    this.draining = true;
    try {
      let ran = 0;
      for (;;) {
        if (this.holds > 0 && this.started) return;
        const next = this.peek();
        if (!next || next.at > untilMicros || ran >= maxTasks) return;
        this.pop();
        if (next.at > this.current) this.current = next.at;
        ran++;
        try {
          next.run();
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private peek(): Task | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private push(task: Task): void {
    const heap = this.heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Task | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
