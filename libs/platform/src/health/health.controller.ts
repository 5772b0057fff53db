import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../auth/allow.decorator.js';

/** Something that can say whether Redis (or another dependency) answers. */
export interface DependencyProbe {
  name: string;
  check(): Promise<boolean>;
  close?(): Promise<void>;
}
export const HEALTH_PROBES = Symbol('HEALTH_PROBES');

/** GET /health: the database and every configured dependency (Redis when REDIS_URL is set). */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_PROBES) private readonly probes: DependencyProbe[],
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      ...this.probes.map((probe) => async () => {
        const indicator = this.indicators.check(probe.name);
        const up = await probe.check().catch(() => false);
        return up ? indicator.up() : indicator.down();
      }),
    ]);
  }
}
