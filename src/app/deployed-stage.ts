import { Glue } from '@aws-sdk/client-glue';
import { LakeFormation } from '@aws-sdk/client-lakeformation';
import { loadGovernance } from '../config/load';
import { UserError } from '../errors';
import { PACKAGE_ROOT } from '../paths';
import { displayTags, readTableTags } from '../policy/apply';
import type { TableTags } from '../policy/tags';

export interface StageOptions {
  stage: string;
  region?: string;
  profile?: string;
  governance: string;
}

/**
 * A stage `sls deploy` made, read with real SDK clients: the Glue catalog and Lake Formation of the
 * account and region the credentials name (AWS_ENDPOINT_URL points them elsewhere, e.g. at moto).
 * Governed tables keep their own database names on every stage; the stage is checked as
 * `sls package` checks it, so a typo is refused before any call.
 */
export class DeployedStage {
  private constructor(
    readonly stage: string,
    private readonly glue: Glue,
    private readonly lakeFormation: LakeFormation,
    private readonly governance: ReturnType<typeof loadGovernance>,
  ) {}

  static open(o: StageOptions): DeployedStage {
    const { stageProblem } = require(`${PACKAGE_ROOT}/serverless/stage.js`) as {
      stageProblem(stage: string): string | undefined;
    };
    const problem = stageProblem(o.stage);
    if (problem) throw new UserError(`--stage: ${problem}`);
    const config = { region: o.region, profile: o.profile };
    return new DeployedStage(
      o.stage,
      new Glue(config),
      new LakeFormation(config),
      loadGovernance(o.governance),
    );
  }

  async tags(database: string, table: string): Promise<TableTags> {
    await this.call(`${database}.${table}`, () =>
      this.glue.getTable({ DatabaseName: database, Name: table }),
    );
    const tags = await this.call(`${database}.${table}`, () =>
      readTableTags(this.lakeFormation, database, table),
    );
    return displayTags(tags, this.governance.config);
  }

  close(): void {
    this.glue.destroy();
    this.lakeFormation.destroy();
  }

  /** AWS's refusals as one line naming the table, the stage and what to do. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const name = (err as { name?: string }).name ?? 'Error';
      const where = `stage ${this.stage} (${(await this.glue.config.region()) || 'no region'})`;
      if (name === 'EntityNotFoundException')
        throw new UserError(
          `${what}: no such table in the Glue catalog of ${where}; check the name, --region and --profile`,
        );
      if (name === 'AccessDeniedException')
        throw new UserError(
          `${what}: ${where} denied the read (${name}); use a role with Glue and Lake Formation read access`,
        );
      if (name === 'CredentialsProviderError' || name === 'ProviderError')
        throw new UserError(`${where}: no AWS credentials found; pass --profile or set AWS credentials`);
      throw new UserError(`${what}: ${where}: ${name}: ${(err as Error).message}`);
    }
  }
}
