"""autogov Glue job (Glue 4.0, PySpark): evaluate one table and write its findings document.

Thin on purpose: every decision that can be made without Spark lives in governance_helpers.py
(unit-tested). Arguments come from the resolveTable Lambda through the state machine:
--database --table --run_id --location --certified_location --manifest_uri --ruleset --references
--entity_types --sample_fraction --threshold_fraction --findings_uri

--location is the staged table folder (raw uploads): the job evaluates what is there, catalogues the
table at --certified_location and records the files it evaluated at --manifest_uri. It serves nothing:
the state machine's Promote step copies those files once the run's tags are applied.
"""

import json
import sys
from datetime import datetime, timezone

import boto3
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from awsgluedq.transforms import EvaluateDataQuality
from awsglueml.transforms import EntityDetector
from pyspark.context import SparkContext
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, StringType

import governance_helpers as h

SAMPLE_SEED = 42
# Distinct redacted examples brought to the driver for the evidence (≤ 3 per column and type are kept).
EXAMPLE_ROWS = 1000

args = h.parse_job_args(getResolvedOptions(sys.argv, ["JOB_NAME", *h.JOB_ARGS]))
sc = SparkContext.getOrCreate()
glue_context = GlueContext(sc)
spark = glue_context.spark_session
job = Job(glue_context)
job.init(getResolvedOptions(sys.argv, ["JOB_NAME"])["JOB_NAME"], {})
s3 = boto3.client("s3")
glue = boto3.client("glue")
lakeformation = boto3.client("lakeformation")


def list_objects(location):
    bucket, prefix = h.parse_s3_uri(location)
    objects = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        objects.extend(page.get("Contents", []))
    return objects


def read_files(fmt, uris):
    if fmt in ("csv", "tsv"):
        return spark.read.options(**h.reader_options(fmt)).csv(uris)
    if fmt == "json":
        return spark.read.json(uris)
    return spark.read.parquet(*uris)


def read_table(location, objects=None):
    """Every data file under the folder (CSV/TSV with header, JSON lines, Parquet), unioned by name."""
    keys = [o["Key"] for o in (list_objects(location) if objects is None else objects)]
    groups = h.group_data_files(location, keys)
    if not groups:
        raise RuntimeError(f"{location}: no .csv, .tsv, .json/.jsonl or .parquet files")
    frames = [read_files(fmt, uris) for fmt, uris in sorted(groups.items())]
    df = frames[0]
    for other in frames[1:]:
        df = df.unionByName(other, allowMissingColumns=True)
    return df


def staged_label(location, key):
    """`db.table: name` of a staged file, as the local job names it in messages."""
    _, prefix = h.parse_s3_uri(location)
    return f"{args['database']}.{args['table']}: {key[len(prefix):]}"


def refuse_json_arrays(location, objects):
    """A staged JSON array fails the run (h.json_array_problem): Athena would serve it as one bad row."""
    for uri in h.group_data_files(location, [o["Key"] for o in objects]).get("json", []):
        bucket, key = h.parse_s3_uri(uri)
        head = s3.get_object(Bucket=bucket, Key=key, Range="bytes=0-4095")["Body"].read()
        problem = h.json_array_problem(staged_label(location, key), head)
        if problem:
            raise RuntimeError(problem)


def refuse_unapproved_columns(database, table, location, objects, df):
    """New columns join a catalogued table only from files uploaded with the approval metadata
    (h.ALLOW_NEW_COLUMNS_METADATA), as the local job checks (src/jobs/govern-table.ts). Files are
    read one by one only when the table's columns as a whole gained some."""
    try:
        catalogued = glue.get_table(DatabaseName=database, Name=table)["Table"]
        known = [c["Name"] for c in catalogued["StorageDescriptor"]["Columns"]]
    except glue.exceptions.EntityNotFoundException:
        return  # the first run defines the table
    if not h.new_columns(known, df.columns):
        return
    for fmt, uris in sorted(h.group_data_files(location, [o["Key"] for o in objects]).items()):
        for uri in uris:
            bucket, key = h.parse_s3_uri(uri)
            metadata = s3.head_object(Bucket=bucket, Key=key).get("Metadata", {})
            if metadata.get(h.ALLOW_NEW_COLUMNS_METADATA) == "true":
                continue
            added = h.new_columns(known, read_files(fmt, [uri]).columns)
            if added:
                raise RuntimeError(h.new_columns_refusal(staged_label(location, key), f"{database}.{table}", added))


def upsert_catalog_table(database, table, staged, location, df):
    """Creates or updates the Glue table, located at its certified folder, from the inferred schema
    (first format found wins the table's SerDe; mixed-format folders are evaluated but catalogued as
    that format)."""
    fmt = sorted(h.group_data_files(args["location"], [o["Key"] for o in staged]))[0]
    serde = h.storage_format(fmt)
    table_input = {
        "Name": table,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {**serde[3], "autogov:run_id": args["run_id"]},
        "StorageDescriptor": {
            "Columns": [
                {"Name": f.name, "Type": h.catalog_column_type(fmt, f.dataType.simpleString())}
                for f in df.schema.fields
            ],
            "Location": location,
            "InputFormat": serde[0],
            "OutputFormat": serde[1],
            "SerdeInfo": serde[2],
        },
    }
    try:
        glue.get_database(Name=database)
    except glue.exceptions.EntityNotFoundException:
        glue.create_database(DatabaseInput=h.database_input(database))
        lakeformation.grant_permissions(**h.tagger_database_grant(args["tagger_role_arn"], database))
    try:
        glue.get_table(DatabaseName=database, Name=table)
        glue.update_table(DatabaseName=database, TableInput=table_input)
    except glue.exceptions.EntityNotFoundException:
        glue.create_table(DatabaseName=database, TableInput=table_input)
        # Only as the table's creator may the job grant on it: the stack's own tables (the documents
        # tables) are not the job's, and the stack's grants cover the tagger there.
        lakeformation.grant_permissions(**h.tagger_table_grant(args["tagger_role_arn"], database, table))


def evaluate_rules(dyf, references):
    """Runs the DQDL ruleset; referenced tables are read from their certified folders."""
    sources = {
        alias: DynamicFrame.fromDF(
            read_table(h.table_location(args["certified_location"], db, tbl)), glue_context, alias
        )
        for alias, (db, tbl) in references.items()
    }
    outcomes = EvaluateDataQuality().process_rows(
        frame=dyf,
        ruleset=args["ruleset"],
        publishing_options={
            "dataQualityEvaluationContext": f"autogov_{args['database']}_{args['table']}",
            "enableDataQualityCloudWatchMetrics": False,
            "enableDataQualityResultsPublishing": False,
        },
        additional_data_sources=sources,
    )
    rule_frame = outcomes.select("ruleOutcomes").toDF()
    return h.rule_results(row.asDict(recursive=True) for row in rule_frame.collect())


def scan_sensitive_data(df):
    """classify_columns decides the entity types per column; a row-level detect on a sample of
    the same fraction gives the per-column fractions. A column whose scan fails fails closed."""
    columns_failed = {}
    scannable = []
    for f in df.schema.fields:
        if h.is_scannable(f.dataType.simpleString()):
            scannable.append(f.name)
        else:
            columns_failed[f.name] = f"nested type {f.dataType.simpleString()} is not scanned"
    # Detection reads text: cast atomic columns to string so numbers like phone numbers are seen.
    text_df = df.select([F.col(f"`{c}`").cast("string").alias(c) for c in scannable])
    detector = EntityDetector()
    entity_types = args["entity_types"]

    def classify(frame_df, name):
        dyf = DynamicFrame.fromDF(frame_df, glue_context, name)
        return detector.classify_columns(dyf, entity_types, args["sample_fraction"], args["threshold_fraction"])

    try:
        classified = classify(text_df, "scan")
    except Exception:  # noqa: BLE001 — retry column by column to isolate the failing ones
        classified = {}
        for c in scannable:
            try:
                classified.update(classify(text_df.select(f"`{c}`"), f"scan_{c}"))
            except Exception as e:  # noqa: BLE001
                columns_failed[c] = f"{type(e).__name__}: {e}"[:500]
    sample = (
        text_df
        if args["sample_fraction"] >= 1
        else text_df.sample(withReplacement=False, fraction=args["sample_fraction"], seed=SAMPLE_SEED)
    )
    counts, non_null, examples = {}, {}, {}
    ok = [c for c in scannable if c not in columns_failed]
    if ok:
        non_null = sample.select([F.count(F.col(f"`{c}`")).alias(c) for c in ok]).first().asDict()
        try:
            detected = detector.detect(
                DynamicFrame.fromDF(sample.select([f"`{c}`" for c in ok]), glue_context, "detect"),
                entity_types,
                "DetectedEntities",
            ).toDF()
            # Aggregated on the executors: only (column, entity type) counts reach the driver.
            keys = F.udf(h.cell_entity_keys, ArrayType(StringType()))
            pairs = detected.select(F.explode(keys("DetectedEntities")).alias("k")).groupBy("k").count()
            counts = h.entity_counts((r["k"], r["count"]) for r in pairs.collect())
            # Redacted on the executors too: a bounded number of distinct examples reaches the driver.
            redacted = F.udf(h.row_examples, ArrayType(StringType()))
            shown = detected.select(F.explode(redacted(F.struct(*detected.columns))).alias("e")).distinct()
            examples = h.group_examples(r["e"] for r in shown.limit(EXAMPLE_ROWS).collect())
        except Exception as e:  # noqa: BLE001 — fractions are informative; classification already decided
            print(f"autogov: row-level detection failed, fractions fall back to the threshold: {e}")
    return classified, counts, non_null, scannable, columns_failed, examples


def main():
    staged = list_objects(args["location"])
    refuse_json_arrays(args["location"], staged)
    df = read_table(args["location"], staged).cache()
    row_count = df.count()
    if args["update_catalog"]:
        refuse_unapproved_columns(args["database"], args["table"], args["location"], staged, df)
        upsert_catalog_table(args["database"], args["table"], staged, args["certified_location"], df)
    dyf = DynamicFrame.fromDF(df, glue_context, "primary")
    rules = evaluate_rules(dyf, args["references"])
    classified, counts, non_null, scanned, failed, examples = scan_sensitive_data(df)
    findings = h.build_findings(
        args,
        h.iso_timestamp(datetime.now(timezone.utc)),
        [(f.name, h.spark_type_to_glue(f.dataType.simpleString())) for f in df.schema.fields],
        row_count,
        rules,
        classified,
        counts,
        non_null,
        scanned,
        failed,
        examples,
    )
    bucket, key = h.parse_s3_uri(args["manifest_uri"])
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=json.dumps(h.manifest(args, staged), indent=2).encode("utf-8"),
        ContentType="application/json",
    )
    bucket, key = h.parse_s3_uri(args["findings_uri"])
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=json.dumps(findings, indent=2).encode("utf-8"),
        ContentType="application/json",
    )
    print(f"autogov: findings written to {args['findings_uri']} (score {findings['dataQuality']['score']})")
    job.commit()


main()
