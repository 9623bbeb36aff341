// Learning-rate schedules as pure functions of the step (graph's ScheduleSpec):
//
//   warm-up  (every schedule)  lr_t *= (t + 1) / warmup            for t < warmup
//   constant / warmup          lr_t = lr
//   step                       lr_t = lr * gamma^k, k = milestones m with m <= u(t), where u(t) is the
//                              epoch index floor(t / stepsPerEpoch) for runs given in epochs, else t
//                              (PyTorch's MultiStepLR stepped once per epoch, or once per step)
//   cosine                     lr_t = lr * (minLr + (1 - minLr) * (1 + cos(pi * s)) / 2),
//                              s = (t - warmup) / (totalSteps - warmup), over the steps after warm-up
//                              (CosineAnnealingLR with T_max = the steps after warm-up; with warm-up this is
//                              the "one-cycle cosine" recipe)
//
// t is the 0-based index of the optimiser step the rate is used for. The warm-up's first step uses
// lr / warmup (not 0, as a warm-up that starts at t / warmup would, wasting a step), and step warmup - 1
// uses the full lr.

import type { ResolvedTrainSpec } from '@skipinit/graph';

export type ScheduleConfig = ResolvedTrainSpec['schedule'];

export interface ScheduleContext {
  /** Base learning rate (the optimiser's lr). */
  readonly lr: number;
  /** The run's length in optimiser steps. */
  readonly totalSteps: number;
  /** Steps per epoch (batches of the training set). */
  readonly stepsPerEpoch: number;
  /** The unit milestones are counted in: 'epochs' when the run is given in epochs, else 'steps'. */
  readonly unit: 'epochs' | 'steps';
}

/** Checks a schedule against its context; throws a RangeError saying what is wrong. */
export function checkSchedule(schedule: ScheduleConfig, ctx: ScheduleContext): void {
  const where = `schedule '${schedule.name}'`;
  if (!(ctx.lr > 0 && Number.isFinite(ctx.lr))) throw new RangeError(`${where}: lr must be a positive number, got ${ctx.lr}`);
  if (!Number.isInteger(ctx.totalSteps) || ctx.totalSteps < 1) throw new RangeError(`${where}: totalSteps must be an integer >= 1, got ${ctx.totalSteps}`);
  if (!Number.isInteger(ctx.stepsPerEpoch) || ctx.stepsPerEpoch < 1) {
    throw new RangeError(`${where}: stepsPerEpoch must be an integer >= 1, got ${ctx.stepsPerEpoch}`);
  }
  if (!Number.isInteger(schedule.warmup) || schedule.warmup < 0) throw new RangeError(`${where}: warmup must be an integer >= 0, got ${schedule.warmup}`);
  if (schedule.warmup > ctx.totalSteps) {
    throw new RangeError(`${where}: warmup (${schedule.warmup} steps) is longer than the run (${ctx.totalSteps} steps)`);
  }
  if (schedule.name === 'step' && !(schedule.gamma > 0)) throw new RangeError(`${where}: gamma must be > 0, got ${schedule.gamma}`);
  if (schedule.name === 'cosine' && !(schedule.minLr >= 0 && schedule.minLr <= 1)) {
    throw new RangeError(`${where}: minLr must be in [0, 1] (a fraction of lr), got ${schedule.minLr}`);
  }
}

/** The multiplier of the linear warm-up at step t (1 after the warm-up). */
export function warmupFactor(warmup: number, t: number): number {
  return t < warmup ? (t + 1) / warmup : 1;
}

/** The learning rate of optimiser step t (0-based). Pure: the same arguments give the same rate. */
export function learningRate(schedule: ScheduleConfig, ctx: ScheduleContext, t: number): number {
  if (!Number.isInteger(t) || t < 0) throw new RangeError(`learningRate: step must be an integer >= 0, got ${t}`);
  const warm = warmupFactor(schedule.warmup, t);
  switch (schedule.name) {
    case 'constant':
    case 'warmup':
      return ctx.lr * warm;
    case 'step': {
      const u = ctx.unit === 'epochs' ? Math.floor(t / ctx.stepsPerEpoch) : t;
      let k = 0;
      for (const m of schedule.milestones) if (m <= u) k++;
      return ctx.lr * Math.pow(schedule.gamma, k) * warm;
    }
    case 'cosine': {
      if (t < schedule.warmup) return ctx.lr * warm;
      const span = ctx.totalSteps - schedule.warmup;
      const s = span > 0 ? Math.min(1, (t - schedule.warmup) / span) : 1;
      return ctx.lr * (schedule.minLr + ((1 - schedule.minLr) * (1 + Math.cos(Math.PI * s))) / 2);
    }
    default: {
      const name: never = schedule.name;
      throw new RangeError(`learningRate: unknown schedule '${String(name)}'`);
    }
  }
}
