"""Pure helpers of the govern_table Glue job: no pyspark, no boto3, so they run under plain python3
and are unit-tested against the findings JSON Schema exported from the TypeScript contract
(schemas/findings.schema.json). Shipped to Glue with --extra-py-files."""

import json
import math
import unicodedata
from datetime import timezone
from urllib.parse import urlparse

FINDINGS_VERSION = 2
ENGINE = "glue"

# Arguments resolveTable passes (functions/resolve-table.ts); getResolvedOptions strips the dashes.
JOB_ARGS = [
    "database",
    "table",
    "run_id",
    "location",
    "certified_location",
    "manifest_uri",
    "ruleset",
    "references",
    "entity_types",
    "sample_fraction",
    "threshold_fraction",
    "findings_uri",
    "update_catalog",
    "tagger_role_arn",
]

# What Lake Formation requires on a table for a principal that is not its owner to assign LF-Tags
# ("Assigning LF-Tags to Data Catalog resources"); serverless/governance.js grants the same set.
TAGGER_TABLE_PERMISSIONS = ["DESCRIBE", "ALTER", "DROP", "INSERT", "SELECT", "DELETE"]
# On a database: what removing an autogov key planted there needs (twin of TAGGING_DATABASE_PERMISSIONS).
TAGGER_DATABASE_PERMISSIONS = ["DESCRIBE", "CREATE_TABLE", "ALTER", "DROP"]

_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".parquet": "parquet",
}


class JobArgumentError(ValueError):
    """A job argument is missing or malformed; the message names it."""


def _fraction(name, text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise JobArgumentError(f"--{name}: '{text}' is not a number") from None
    if not 0 < value <= 1:
        raise JobArgumentError(f"--{name}: {value} must be in (0, 1]")
    return value


def _json(name, text):
    try:
        return json.loads(text)
    except (TypeError, ValueError) as e:
        raise JobArgumentError(f"--{name}: invalid JSON ({e})") from None


def parse_s3_uri(uri):
    """`s3://bucket/key` → (bucket, key); key may be empty."""
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise JobArgumentError(f"'{uri}' is not an s3:// URI")
    return parsed.netloc, parsed.path.lstrip("/")


def table_location(location, database, table):
    """Reference tables are read from their certified files, beside the evaluated table's own
    certified location: s3://<certified>/tables/<database>/<table>/."""
    bucket, _ = parse_s3_uri(location)
    return f"s3://{bucket}/tables/{database}/{table}/"


def parse_references(value, default_database):
    """`{"alias": "table" | "db.table"}` → {alias: (database, table)}."""
    if not isinstance(value, dict):
        raise JobArgumentError("--references: expected a JSON object alias → table")
    refs = {}
    for alias, name in value.items():
        if not isinstance(name, str) or not name or name.count(".") > 1:
            raise JobArgumentError(f"--references: {alias}: expected 'table' or 'database.table'")
        db, _, tbl = name.rpartition(".")
        refs[alias] = (db or default_database, tbl)
    return refs


def parse_job_args(resolved):
    """getResolvedOptions(sys.argv, JOB_ARGS) → typed arguments."""
    missing = [a for a in JOB_ARGS if not resolved.get(a)]
    if missing:
        raise JobArgumentError("missing job arguments: " + ", ".join("--" + a for a in missing))
    entity_types = _json("entity_types", resolved["entity_types"])
    if not isinstance(entity_types, list) or not all(isinstance(t, str) and t for t in entity_types):
        raise JobArgumentError("--entity_types: expected a JSON array of entity type names")
    for uri in ("location", "certified_location", "manifest_uri", "findings_uri"):
        parse_s3_uri(resolved[uri])
    if resolved["update_catalog"] not in ("true", "false"):
        raise JobArgumentError("--update_catalog: expected true or false")
    return {
        "database": resolved["database"],
        "table": resolved["table"],
        "run_id": resolved["run_id"],
        "location": resolved["location"].rstrip("/") + "/",
        "certified_location": resolved["certified_location"].rstrip("/") + "/",
        "manifest_uri": resolved["manifest_uri"],
        "ruleset": resolved["ruleset"],
        "references": parse_references(_json("references", resolved["references"]), resolved["database"]),
        "entity_types": entity_types,
        "sample_fraction": _fraction("sample_fraction", resolved["sample_fraction"]),
        "threshold_fraction": _fraction("threshold_fraction", resolved["threshold_fraction"]),
        "findings_uri": resolved["findings_uri"],
        # false for the stack's document tables: their definition is serverless.yml's, not inferred.
        "update_catalog": resolved["update_catalog"] == "true",
        "tagger_role_arn": resolved["tagger_role_arn"],
    }


def database_input(name):
    """A database autogov creates: no IAMAllowedPrincipals grant on its new tables, so Lake Formation
    grants alone decide access ("Changing the default settings for your data lake")."""
    return {"Name": name, "CreateTableDefaultPermissions": []}


def tagger_table_grant(role_arn, database, table):
    """GrantPermissions request the job makes as the table's creator (who may grant on tables it
    creates, "Implicit Lake Formation permissions"), so the tagging role can assign LF-Tags on
    tables of databases governance.yml does not name, which have no stack grant."""
    return {
        "Principal": {"DataLakePrincipalIdentifier": role_arn},
        "Resource": {"Table": {"DatabaseName": database, "Name": table}},
        "Permissions": TAGGER_TABLE_PERMISSIONS,
        "PermissionsWithGrantOption": TAGGER_TABLE_PERMISSIONS,
    }


def tagger_database_grant(role_arn, database):
    """GrantPermissions request the job makes as the creator of a database it creates, so the tagging
    role can read and correct the database's LF-Tags (twin of taggerDatabaseGrant, src/governance/tagger.ts)."""
    return {
        "Principal": {"DataLakePrincipalIdentifier": role_arn},
        "Resource": {"Database": {"Name": database}},
        "Permissions": TAGGER_DATABASE_PERMISSIONS,
        "PermissionsWithGrantOption": TAGGER_DATABASE_PERMISSIONS,
    }


def data_format(relative_key):
    """A table data file's format (csv, tsv, json lines or parquet) from its key relative to the table
    location; None for anything else. Twin of isTableDataKey (src/data/names.ts): Athena and Hive
    skip every file or folder whose name starts with _ or . (docs/table-files.md)."""
    if not relative_key or relative_key.endswith("/"):
        return None
    if any(segment.startswith((".", "_")) for segment in relative_key.split("/")):
        return None
    name = relative_key.rsplit("/", 1)[-1].lower()
    for ext, fmt in _FORMATS.items():
        if name.endswith(ext):
            return fmt
    return None


# S3 user metadata approving a file that adds columns to its table (ALLOW_NEW_COLUMNS_METADATA in
# src/data/column-match.ts): set by `autogov ingest --allow-new-columns`, or `--metadata` on an upload.
ALLOW_NEW_COLUMNS_METADATA = "autogov-allow-new-columns"


def storage_format(fmt):
    """How the Glue table of a data format is catalogued for Athena: (InputFormat, OutputFormat,
    SerdeInfo, table Parameters). CSV: OpenCSVSerde (quoted values). TSV: LazySimpleSerDe with
    field.delim tab, Athena's SerDe for TSV, which has no quoting (a `"` is part of the value;
    https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html); classified as Glue's
    crawlers classify it, csv with a tab delimiter. JSON lines: OpenX JsonSerDe, one object per line."""
    text = (
        "org.apache.hadoop.mapred.TextInputFormat",
        "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    )
    return {
        "csv": (
            *text,
            {
                "SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                "Parameters": {"separatorChar": ",", "quoteChar": '"'},
            },
            {"skip.header.line.count": "1", "classification": "csv"},
        ),
        "tsv": (
            *text,
            {
                "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                "Parameters": {"field.delim": "\t", "serialization.format": "\t"},
            },
            {"skip.header.line.count": "1", "classification": "csv", "delimiter": "\t"},
        ),
        "json": (
            *text,
            {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"},
            {"classification": "json"},
        ),
        "parquet": (
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
            {"classification": "parquet"},
        ),
    }[fmt]


def reader_options(fmt):
    """spark.read options of a delimited format, read as Athena's SerDe reads it (storage_format):
    CSV with quoting, TSV split on tabs with quoting off (Spark turns it off with an empty quote)."""
    if fmt == "csv":
        return {"header": "true", "inferSchema": "true"}
    if fmt == "tsv":
        return {"header": "true", "inferSchema": "true", "sep": "\t", "quote": ""}
    raise ValueError(f"{fmt} is not a delimited format")


def json_array_problem(name, head):
    """Twin of jsonArrayRefusal (src/data/json-array.ts): a staged .json file whose first bytes
    (after a BOM and whitespace) open an array fails the run. Athena's JSON SerDes read one object
    per line (https://docs.aws.amazon.com/athena/latest/ug/json-serde.html), so such an object would
    be served as one bad row; `autogov ingest` converts arrays to JSON lines before uploading."""
    text = bytes(head).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        return (
            f"{name}: a JSON array, which Athena cannot read (its JSON SerDes take one object per line); "
            "convert it to JSON lines (autogov ingest does) and upload that"
        )
    return None


def new_columns(table_columns, file_columns):
    """The file's columns its catalogued table lacks, compared case-insensitively as Glue keeps
    names lower-case (columnDifference in src/data/column-match.ts)."""
    known = {c.lower() for c in table_columns}
    return [c for c in file_columns if c.lower() not in known]


def new_columns_refusal(file, table, added):
    """Twin of newColumnsRefusal (src/data/column-match.ts): a staged file bringing columns its
    table lacks, uploaded without the approval metadata, fails the run before the table is reshaped."""
    return (
        f"{file}: new columns {', '.join(added)} not in {table}; upload it with metadata "
        f"{ALLOW_NEW_COLUMNS_METADATA}=true (autogov ingest --allow-new-columns) to accept them"
    )


def manifest(args, objects):
    """The staged data files this run evaluates (ListObjectsV2 entries: Key, ETag, Size), in the
    shape of src/data/certify.ts `manifestSchema`: the Promote step copies exactly these, and only
    while their ETag is still the one evaluated (CopySourceIfMatch)."""
    _, prefix = parse_s3_uri(args["location"])
    files = []
    for o in sorted(objects, key=lambda o: o["Key"]):
        name = o["Key"][len(prefix):] if o["Key"].startswith(prefix) else None
        if name and data_format(name):
            files.append({"name": name, "etag": o["ETag"], "size": int(o["Size"])})
    return {
        "version": 1,
        "database": args["database"],
        "table": args["table"],
        "runId": args["run_id"],
        "staged": args["location"],
        "certified": args["certified_location"],
        "files": files,
    }


def group_data_files(location, keys):
    """S3 keys under the table folder → {format: [s3 uri, …]}, sorted; other files are ignored."""
    bucket, prefix = parse_s3_uri(location)
    prefix = prefix.rstrip("/") + "/" if prefix else ""
    groups = {}
    for key in sorted(keys):
        if not key.startswith(prefix):
            continue
        fmt = data_format(key[len(prefix):])
        if fmt:
            groups.setdefault(fmt, []).append(f"s3://{bucket}/{key}")
    return groups


def map_outcome(outcome):
    """EvaluateDataQuality's Outcome (Passed/Failed/…) → the findings' PASS/FAIL/ERROR."""
    text = str(outcome or "").strip().lower()
    if text in ("passed", "pass"):
        return "PASS"
    if text in ("failed", "fail"):
        return "FAIL"
    return "ERROR"


def _metrics(value):
    # JSON has no NaN/Infinity and the contract wants numbers: drop what cannot be represented.
    out = {}
    for k, v in (value or {}).items():
        if isinstance(v, bool) or v is None:
            continue
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            out[str(k)] = f
    return out


def rule_results(rows):
    """Rows of the ruleOutcomes frame (dicts with Rule, Outcome, FailureReason, EvaluatedMetrics)."""
    results = []
    for row in rows:
        result = {
            "rule": str(row.get("Rule") or "").strip() or "(unnamed rule)",
            "outcome": map_outcome(row.get("Outcome")),
            "metrics": _metrics(row.get("EvaluatedMetrics")),
        }
        reason = row.get("FailureReason")
        if reason:
            result["message"] = str(reason)
        results.append(result)
    return results


def score(results):
    """Passed rules / total rules (ERROR counts as not passed); None without rules."""
    if not results:
        return None
    return sum(1 for r in results if r["outcome"] == "PASS") / len(results)


def _matches(cell):
    """One row's DetectedEntities (a dict, a Spark Row or its JSON text) → [(column, type, start, end)]."""
    if not cell:
        return []
    if isinstance(cell, str):
        cell = json.loads(cell)
    if hasattr(cell, "asDict"):
        cell = cell.asDict(recursive=True)
    out = []
    for column, matches in cell.items():
        for m in matches or []:
            if hasattr(m, "asDict"):
                m = m.asDict(recursive=True)
            if isinstance(m, dict):
                t = m.get("entityType") or m.get("entity_type") or m.get("type")
                out.append((column, t, m.get("start"), m.get("end")))
            elif m:
                out.append((column, m, None, None))
    return [(c, str(t), s, e) for c, t, s, e in out if t]


def cell_entity_keys(cell):
    """One row of EntityDetector.detect's output (column → list of matches, as a dict, a Spark Row
    or its JSON text) → the distinct "column\tentity type" pairs it holds. Runs on the executors (a
    UDF), so only the per-pair counts reach the driver, never the rows."""
    return sorted({f"{column}\t{t}" for column, t, _, _ in _matches(cell)})


def entity_counts(key_counts):
    """(cell_entity_keys pair, number of cells) aggregates → {column: {entity type: cells}}."""
    counts = {}
    for key, n in key_counts:
        column, entity_type = key.split("\t", 1)
        counts.setdefault(column, {})[entity_type] = counts.get(column, {}).get(entity_type, 0) + int(n)
    return counts


def _word_char(c):
    return unicodedata.category(c)[0] in "LMN"


def _mask_word(word):
    return "".join(c if i == 0 and unicodedata.category(c)[0] == "L" else "*" for i, c in enumerate(word))


def redact(value):
    """Twin of redact (src/pii/redact.ts): each word keeps its first letter, every other letter,
    mark and digit becomes *; an e-mail also keeps its top-level domain. Cases both must agree on:
    test/fixtures/redaction.json."""
    at = value.rfind("@")
    if 0 < at < len(value) - 1:
        labels = value[at + 1:].split(".")
        tld = "." + labels.pop() if len(labels) > 1 else ""
        return _mask_word(value[:at]) + "@" + ".".join(_mask_word(label) for label in labels) + tld
    out, in_word = [], False
    for c in value:
        word_char = _word_char(c)
        out.append(("*" if in_word or unicodedata.category(c)[0] != "L" else c) if word_char else c)
        in_word = word_char
    return "".join(out)


def row_examples(row, output_column="DetectedEntities"):
    """One row of detect()'s output (the scanned columns' values plus its output column, a dict or a
    Spark Row) → its matches redacted, as "column\tentity type\texample". Runs on the executors (a
    UDF): only redacted text reaches the driver."""
    if hasattr(row, "asDict"):
        row = row.asDict(recursive=True)
    out = []
    for column, t, start, end in _matches(row.get(output_column)):
        value = row.get(column)
        if isinstance(value, str) and isinstance(start, int) and isinstance(end, int):
            example = redact(value[start:end])
            if example:
                out.append(f"{column}\t{t}\t{example}")
    return out


def group_examples(keys, limit=3):
    """row_examples strings → up to `limit` distinct examples per column and entity type."""
    examples = {}
    for key in keys:
        column, t, example = key.split("\t", 2)
        shown = examples.setdefault(column, {}).setdefault(t, [])
        if len(shown) < limit and example not in shown:
            shown.append(example)
    return examples


def entity_findings(classified, counts, non_null, threshold_fraction, examples=None):
    """Per column, the entity types classify_columns reported, each with the fraction of sampled
    non-null cells holding it and its evidence (src/findings/schema.ts). Glue's classification is
    authoritative: when the row-level count disagrees, the fraction is reported as at least the
    threshold Glue applied, and the evidence says which of Glue's two detections backed it."""
    columns = {}
    for column, types in sorted((classified or {}).items()):
        found = []
        for t in sorted(set(types or [])):
            n = non_null.get(column, 0)
            matched = counts.get(column, {}).get(t, 0)
            counted = matched / n if n else 0.0
            found.append({
                "entityType": t,
                "fraction": min(1.0, max(counted, threshold_fraction)),
                "evidence": {
                    "detectors": ["glue:classify_columns"] + (["glue:detect"] if matched else []),
                    "matchedCells": int(matched),
                    "sampledCells": int(n),
                    "threshold": threshold_fraction,
                    "examples": ((examples or {}).get(column, {}).get(t) or [])[:3],
                },
            })
        if found:
            columns[column] = found
    return columns


def build_findings(
    args,
    evaluated_at,
    columns,
    row_count,
    rules,
    classified,
    counts,
    non_null,
    columns_scanned,
    columns_failed,
    examples=None,
):
    """The findings document (src/findings/schema.ts, version 2) of one Glue run."""
    failed = [{"column": c, "reason": str(r) or "scan failed"} for c, r in sorted(columns_failed.items())]
    failed_names = set(columns_failed)
    return {
        "version": FINDINGS_VERSION,
        "database": args["database"],
        "table": args["table"],
        "runId": args["run_id"],
        "evaluatedAt": evaluated_at,
        "engine": ENGINE,
        "columns": [{"name": n, "type": t} for n, t in columns],
        "rowCount": int(row_count),
        "dataQuality": {
            "ruleset": args["ruleset"],
            "score": score(rules),
            "rules": rules,
            "analyzers": [],
        },
        "sensitiveData": {
            "entityTypes": list(args["entity_types"]),
            "sampleFraction": args["sample_fraction"],
            "thresholdFraction": args["threshold_fraction"],
            "columnsScanned": [c for c in columns_scanned if c not in failed_names],
            "columnsFailed": failed,
            "columns": entity_findings(
                {c: t for c, t in (classified or {}).items() if c not in failed_names},
                counts,
                non_null,
                args["threshold_fraction"],
                examples,
            ),
        },
    }


def iso_timestamp(dt):
    """An aware datetime → `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form the findings contract accepts."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def catalog_column_type(fmt, type_name):
    """The type a column is catalogued with. CSV tables use OpenCSVSerde, which Athena reads well
    only as STRING: it parses just BOOLEAN, BIGINT, INT and DOUBLE, not empty values in numeric
    columns, and dates/timestamps only as UNIX numbers
    (https://docs.aws.amazon.com/athena/latest/ug/csv-serde.html), so every CSV column is a string
    (cast in queries, as a Glue crawler's OpenCSVSerde tables do). TSV columns too: LazySimpleSerDe
    reads dates and timestamps in Hive's formats only, where Spark infers ISO ones. JSON and Parquet
    keep their types."""
    return "string" if fmt in ("csv", "tsv") else spark_type_to_glue(type_name)


def spark_type_to_glue(type_name):
    """Spark simpleString → Glue/Hive column type (they coincide except for a few names)."""
    t = str(type_name)
    return {"long": "bigint", "integer": "int", "short": "smallint", "byte": "tinyint"}.get(t, t)


def is_scannable(type_name):
    """Sensitive-data detection reads atomic values; nested columns are reported as failed."""
    return not str(type_name).startswith(("struct<", "array<", "map<"))
