import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { Windower, type WindowSpec } from '../../shared/windowing.js';
import type { SampleEvent } from './decode-samples.js';
import type { SampleWindow } from './windows.js';

export interface WindowCounters {
  windows: number;
  /** Windowers reset by a gap, frames or csv t_us (the samples buffered before it are dropped, not stitched). */
  resets: number;
  /** Batches whose channel count differs from the spec's; skipped. */
  rejectedBatches: number;
}

export function emptyWindowCounters(): WindowCounters {
  return { windows: 0, resets: 0, rejectedBatches: 0 };
}

export interface ToWindowsOptions {
  counters?: WindowCounters;
}

/**
 * Sample batches -> windows, one Windower per sensor id. A gap resets that sensor's windower so no window spans
 * lost data. `endTimeMs` is the scheduler time at which the batch holding the window's last sample arrived;
 * `startTimeMs` is derived from it with the sample rate.
 */
export function toWindows(
  spec: WindowSpec & { sampleRate: number },
  options: ToWindowsOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<SampleEvent, SampleWindow> {
  const counters = options.counters ?? emptyWindowCounters();
  const spanMs = ((spec.window - 1) * 1000) / spec.sampleRate;
  return (events) =>
    new Observable<SampleWindow>((subscriber) => {
      const windowers = new Map<number, Windower>();
      const windowerOf = (sensorId: number) => {
        let w = windowers.get(sensorId);
        if (!w) {
          w = new Windower(spec);
          windowers.set(sensorId, w);
        }
        return w;
      };
      return events.subscribe({
        next: (event) => {
          if (event.type === 'gap') {
            windowers.get(event.sensorId)?.reset();
            counters.resets++;
            return;
          }
          const { batch } = event;
          if (batch.channels !== spec.channels) {
            counters.rejectedBatches++;
            return;
          }
          const endTimeMs = scheduler.now();
          windowerOf(batch.sensorId).push(batch.samples, (samples, startSample) => {
            counters.windows++;
            subscriber.next({
              sensorId: batch.sensorId,
              startSample,
              endSample: startSample + spec.window,
              startTimeMs: endTimeMs - spanMs,
              endTimeMs,
              samples,
            });
          });
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
