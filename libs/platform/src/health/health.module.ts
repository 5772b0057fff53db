import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HEALTH_PROBES, HealthController, type DependencyProbe } from './health.controller.js';

@Module({})
export class HealthModule implements OnApplicationShutdown {
  constructor(@Inject(HEALTH_PROBES) private readonly probes: DependencyProbe[]) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.probes.map((probe) => probe.close?.()));
  }

  static forRoot(probes: DependencyProbe[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule],
      controllers: [HealthController],
      providers: [{ provide: HEALTH_PROBES, useValue: probes }],
    };
  }
}
