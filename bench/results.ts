import type { LambdaFigures } from './lambda';

export interface Figure {
  /** Requests per second (mean over the run). */
  rps: number;
  p50: number;
  p99: number;
  /** Errors, timeouts and non-2xx answers. */
  errors: number;
}

/** Administrators' search: a first page's latency by number of stored profiles (bench/search.ts). */
export interface SearchFigures {
  points: { profiles: number; p50Ms: number; p99Ms: number; seedSeconds: number }[];
  /** p50 at the largest size / p50 at the smallest. */
  ratio: number;
}

export interface Results {
  generatedAt: string;
  mode: 'quick' | 'full';
  command: string;
  machine: { cpu: string; cores: number; memoryGb: number; node: string };
  parameters: Record<string, unknown>;
  http: {
    serviceGet: Figure;
    /** The same GET with AUTH_MODE=jwt: a bearer token verified (RS256) on every request. */
    serviceGetJwt: Figure;
    baselineGet: Figure;
    /**
     * The bare server reading what the service's GET reads: profile and suspension record in one
     * BatchGetItem. Absent from runs made before it existed.
     */
    baselineGetSameReads?: Figure;
    /**
     * The bare server's same reads answered inside a service process: the reference of the
     * service's request pipeline (ADR 0026). Since ADR 0027 built into the service's bundle,
     * sharing its copy of the SDK; before, preloaded as a bundle of its own. Absent from runs made
     * before it.
     */
    serviceProcessSameReads?: Figure;
    /**
     * The service's GET answered by the process that answers `serviceProcessSameReads` (ADR 0027),
     * the request pipeline's side. Absent from runs made before it.
     */
    serviceGetBeside?: Figure;
    dbLimitGet: Figure;
    servicePost: Figure;
    /**
     * The bare server's create through the service's repository: the same transaction, no
     * validation or domain (ADR 0029). Absent from runs made before it.
     */
    baselinePost?: Figure;
    serviceList: Figure;
    /**
     * The bare server's list page through the service's repository: the same shard queries and
     * suspension reads (ADR 0029). Absent from runs made before it.
     */
    baselineList?: Figure;
  };
  memory: {
    serverPeakRssMb: number;
    baselinePeakRssMb: number;
    lambdaColdStartRssMb: number;
    /** The Node flags both servers ran with: those of the start command. */
    serverNodeFlags: string[];
  };
  lambda: LambdaFigures;
  scaling: {
    points: {
      profiles: number;
      listP50Ms: number;
      listP99Ms: number;
      findP50Ms: number;
      findP99Ms: number;
      seedSeconds: number;
    }[];
    listRatio: number;
    findRatio: number;
  };
  /** Absent from runs made before the search existed (the report then reads search.json). */
  search?: SearchFigures;
  durationSeconds: number;
}

/** One `pnpm bench:events` run (bench/event-lag.ts), kept in bench/results/events.json. */
export interface EventLagRun {
  at: string;
  runtime: string;
  /** The machine's 1-minute load average before and after the run. */
  loadAverage: [number, number];
  rate: number;
  seconds: number;
  /** Writes answered with success. */
  committed: number;
  /** Distinct events received (more than `committed` when writes committed after a timeout). */
  received: number;
  /** Committed changes whose event did not arrive within 30 s of the last write. */
  missing: number;
  /** Events received more than once. */
  duplicates: number;
  /** The measured window's (after the warm-up). */
  lagMs: { p50: number; p99: number; max: number };
  /**
   * The writes before the measured window, at the same rate, on the freshly started server and
   * DynamoDB Local (absent from runs made before 2026-12-03, which had none).
   */
  warmup?: {
    seconds: number;
    committed: number;
    missing: number;
    lagMs: { p50: number; p99: number; max: number };
  };
}
