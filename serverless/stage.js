// Names derived from the stage, and the stage check that runs before `sls package` generates anything.
// Pure CommonJS: serverless.yml, serverless/governance.js and the local runner all load it.

// Limits from IAM CreateRole, Lambda CreateFunction and Step Functions CreateStateMachine. Bucket names
// are CloudFormation's (serverless.yml), so no name depends on the region any more.
const LIMITS = [
  { what: 'IAM role name', max: 64, name: (s) => `autogov-${s}-glue-govern-table` },
  { what: 'IAM role name', max: 64, name: (s) => `autogov-${s}-ingest-object-sfn` },
  { what: 'Lambda function name', max: 64, name: (s) => `autogov-${s}-startGovernance` },
  { what: 'Lambda function name', max: 64, name: (s) => `autogov-${s}-collectTextract` },
  { what: 'state machine name', max: 80, name: (s) => `autogov-${s}-ingest-object` },
  { what: 'Glue database name', max: 255, name: (s) => documentsDatabaseName(s) },
];

/** Glue stores database names in lower case of letters, digits and `_`: a stage's `-` becomes `_`. */
function documentsDatabaseName(stage) {
  return `autogov_${stage.replace(/-/g, '_')}_documents`;
}

/** The CloudFormation stack `sls deploy --stage STAGE` makes: the Framework's `<service>-<stage>`. */
function stackName(stage) {
  return `autogov-${stage}`;
}

/** The longest stage whose every derived name fits its limit. */
function maxStageLength() {
  let n = 1;
  while (LIMITS.every((l) => l.name('a'.repeat(n + 1)).length <= l.max)) n++;
  return n;
}

/** A one-line reason why the stage cannot be deployed, or undefined when it can. */
function stageProblem(stage) {
  if (!/^[a-z0-9](?:-?[a-z0-9])*$/.test(stage))
    return `stage '${stage}': use lower-case letters, digits and single inner hyphens (bucket and Glue names are made from it), e.g. --stage ${suggestStage(stage)}`;
  const max = maxStageLength();
  if (stage.length > max) {
    const over = LIMITS.find((l) => l.name(stage).length > l.max);
    return `stage '${stage}' has ${stage.length} characters; at most ${max} fit (${over.what} ${over.name(stage)} would exceed ${over.max}): choose a shorter --stage`;
  }
  return undefined;
}

function suggestStage(stage) {
  const s = stage
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'dev';
}

/** `${file(./serverless/stage.js):documentsDatabase}`: checks the stage first, so a bad one stops packaging. */
async function documentsDatabase({ resolveVariable }) {
  const stage = await resolveVariable('sls:stage');
  const problem = stageProblem(stage);
  if (problem) {
    // osls prints a rejection's stack: the one line is the whole message.
    const error = new Error(problem);
    error.stack = problem;
    throw error;
  }
  return documentsDatabaseName(stage);
}

module.exports = { documentsDatabase, documentsDatabaseName, maxStageLength, stackName, stageProblem };
