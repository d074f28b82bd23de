"""Tests of the Glue job's pure helpers: python3 -m unittest discover glue-scripts
Documents are validated against schemas/findings.schema.json (exported from src/findings/schema.ts)
when the optional `jsonschema` module is installed."""

import json
import os
import sys
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import governance_helpers as h  # noqa: E402

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "findings.schema.json")
REDACTION_CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "redaction.json")

try:
    import jsonschema
except ImportError:  # optional: the structural checks below still run
    jsonschema = None

RESOLVED = {
    "database": "oktank_autogov_temp",
    "table": "customer",
    "run_id": "20250101T000000000Z-abcd1234",
    "location": "s3://autogov-dev-raw-123-us-east-1/tables/oktank_autogov_temp/customer/",
    "certified_location": "s3://autogov-dev-certified-123-us-east-1/tables/oktank_autogov_temp/customer/",
    "manifest_uri": "s3://autogov-dev-artifacts-123-us-east-1/manifests/oktank_autogov_temp/customer/r1.json",
    "ruleset": 'Rules = [ ColumnExists "data_key", IsPrimaryKey "data_key" ]',
    "references": json.dumps({"reference": "base", "other": "sales.regions"}),
    "entity_types": json.dumps(["PERSON_NAME", "EMAIL"]),
    "sample_fraction": "1.0",
    "threshold_fraction": "0.1",
    "findings_uri": "s3://autogov-dev-artifacts-123-us-east-1/findings/oktank_autogov_temp/customer/r1.json",
    "update_catalog": "true",
    "tagger_role_arn": "arn:aws:iam::123:role/autogov-dev-applyTags",
}

OUTCOME_ROWS = [
    {"Rule": 'ColumnExists "data_key"', "Outcome": "Passed", "FailureReason": None, "EvaluatedMetrics": {}},
    {
        "Rule": 'IsPrimaryKey "data_key"',
        "Outcome": "Passed",
        "FailureReason": None,
        "EvaluatedMetrics": {"Column.data_key.Uniqueness": 1.0, "Column.data_key.Completeness": 1.0},
    },
    {
        "Rule": 'ReferentialIntegrity "data_location" "reference.data_location" = 1.0',
        "Outcome": "Failed",
        "FailureReason": "Value: 0.8 does not meet the constraint requirement!",
        "EvaluatedMetrics": {"Column.reference.ReferentialIntegrity": 0.8, "Weird": float("nan")},
    },
    {"Rule": 'CustomSql "select broken"', "Outcome": "Error", "FailureReason": "SQL error", "EvaluatedMetrics": None},
]


def build(**overrides):
    args = h.parse_job_args(RESOLVED)
    rules = h.rule_results(OUTCOME_ROWS)
    kwargs = {
        "args": args,
        "evaluated_at": h.iso_timestamp(datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc)),
        "columns": [("data_key", "int"), ("customer_name", "string"), ("customer_email", "string"), ("tags", "array<string>")],
        "row_count": 5,
        "rules": rules,
        "classified": {"customer_name": ["PERSON_NAME"], "customer_email": ["EMAIL"], "data_key": []},
        "counts": {"customer_name": {"PERSON_NAME": 5}, "customer_email": {"EMAIL": 4}},
        "non_null": {"customer_name": 5, "customer_email": 5, "data_key": 5},
        "columns_scanned": ["data_key", "customer_name", "customer_email"],
        "columns_failed": {"tags": "nested type array<string> is not scanned"},
        "examples": {"customer_email": {"EMAIL": ["j***@e******.com"]}},
    }
    kwargs.update(overrides)
    return h.build_findings(**kwargs)


class JobArgsTest(unittest.TestCase):
    def test_parses_every_argument(self):
        args = h.parse_job_args(RESOLVED)
        self.assertEqual(args["entity_types"], ["PERSON_NAME", "EMAIL"])
        self.assertEqual(args["sample_fraction"], 1.0)
        self.assertEqual(args["threshold_fraction"], 0.1)
        self.assertEqual(
            args["references"],
            {"reference": ("oktank_autogov_temp", "base"), "other": ("sales", "regions")},
        )

    def test_missing_and_malformed_arguments_are_named(self):
        with self.assertRaisesRegex(h.JobArgumentError, "--findings_uri"):
            h.parse_job_args({**RESOLVED, "findings_uri": ""})
        with self.assertRaisesRegex(h.JobArgumentError, "--sample_fraction"):
            h.parse_job_args({**RESOLVED, "sample_fraction": "0"})
        with self.assertRaisesRegex(h.JobArgumentError, "--entity_types"):
            h.parse_job_args({**RESOLVED, "entity_types": '"EMAIL"'})
        with self.assertRaisesRegex(h.JobArgumentError, "--references"):
            h.parse_job_args({**RESOLVED, "references": '{"r": "a.b.c"}'})
        with self.assertRaisesRegex(h.JobArgumentError, "s3://"):
            h.parse_job_args({**RESOLVED, "location": "/tmp/x"})
        with self.assertRaisesRegex(h.JobArgumentError, "--update_catalog"):
            h.parse_job_args({**RESOLVED, "update_catalog": "yes"})

    def test_the_stacks_document_tables_keep_their_catalog_definition(self):
        self.assertTrue(h.parse_job_args(RESOLVED)["update_catalog"])
        self.assertFalse(h.parse_job_args({**RESOLVED, "update_catalog": "false"})["update_catalog"])

    def test_csv_columns_are_catalogued_as_strings_athenas_opencsvserde_reads(self):
        for spark_type in ["int", "long", "double", "date", "timestamp", "boolean", "string"]:
            self.assertEqual(h.catalog_column_type("csv", spark_type), "string")
        self.assertEqual(h.catalog_column_type("parquet", "long"), "bigint")
        self.assertEqual(h.catalog_column_type("json", "timestamp"), "timestamp")

    def test_databases_the_job_creates_give_iam_allowed_principals_nothing(self):
        self.assertEqual(h.database_input("ungoverned"), {"Name": "ungoverned", "CreateTableDefaultPermissions": []})

    def test_tagging_role_gets_what_tagging_a_database_requires_on_each_database_the_job_creates(self):
        grant = h.tagger_database_grant(RESOLVED["tagger_role_arn"], "ungoverned")
        four = ["DESCRIBE", "CREATE_TABLE", "ALTER", "DROP"]
        self.assertEqual(grant["Resource"], {"Database": {"Name": "ungoverned"}})
        self.assertEqual(sorted(grant["Permissions"]), sorted(four))
        self.assertEqual(sorted(grant["PermissionsWithGrantOption"]), sorted(four))

    def test_tagging_role_gets_what_add_lf_tags_requires_on_each_table(self):
        grant = h.tagger_table_grant(RESOLVED["tagger_role_arn"], "ungoverned", "orders")
        six = ["DESCRIBE", "ALTER", "DROP", "INSERT", "SELECT", "DELETE"]
        self.assertEqual(grant["Principal"], {"DataLakePrincipalIdentifier": RESOLVED["tagger_role_arn"]})
        self.assertEqual(grant["Resource"], {"Table": {"DatabaseName": "ungoverned", "Name": "orders"}})
        self.assertEqual(sorted(grant["Permissions"]), sorted(six))
        self.assertEqual(sorted(grant["PermissionsWithGrantOption"]), sorted(six))
        with self.assertRaisesRegex(h.JobArgumentError, "--tagger_role_arn"):
            h.parse_job_args({**RESOLVED, "tagger_role_arn": ""})

    def test_reference_tables_are_read_from_their_certified_files(self):
        args = h.parse_job_args(RESOLVED)
        self.assertEqual(
            h.table_location(args["certified_location"], "oktank_autogov_temp", "base"),
            "s3://autogov-dev-certified-123-us-east-1/tables/oktank_autogov_temp/base/",
        )
        with self.assertRaisesRegex(h.JobArgumentError, "--manifest_uri"):
            h.parse_job_args({**RESOLVED, "manifest_uri": ""})

    def test_manifest_names_the_staged_data_files_evaluated_with_their_etags(self):
        args = h.parse_job_args(RESOLVED)
        prefix = "tables/oktank_autogov_temp/customer/"
        m = h.manifest(
            args,
            [
                {"Key": prefix + "v1.csv", "ETag": '"b"', "Size": 20},
                {"Key": prefix + "v0.csv", "ETag": '"a"', "Size": 10},
                {"Key": prefix + "_extra.csv", "ETag": '"c"', "Size": 5},
                {"Key": prefix + "notes.md", "ETag": '"d"', "Size": 5},
            ],
        )
        self.assertEqual(
            m["files"], [{"name": "v0.csv", "etag": '"a"', "size": 10}, {"name": "v1.csv", "etag": '"b"', "size": 20}]
        )
        self.assertEqual((m["version"], m["runId"]), (1, RESOLVED["run_id"]))
        self.assertEqual((m["staged"], m["certified"]), (RESOLVED["location"], RESOLVED["certified_location"]))


class FilesTest(unittest.TestCase):
    def test_formats_by_extension(self):
        self.assertEqual(h.data_format("a.CSV"), "csv")
        self.assertEqual(h.data_format("a.jsonl"), "json")
        self.assertEqual(h.data_format("part-0.parquet"), "parquet")
        self.assertIsNone(h.data_format("_SUCCESS"))
        self.assertIsNone(h.data_format("readme.txt"))

    def test_hidden_files_and_folders_are_not_data_as_athena_skips_them(self):
        # the same cases as test/data/names.test.ts: a file governance skips is never served
        for key in ["_extra.csv", ".pii.csv", "_tmp/a.csv", "2024/.hidden/a.csv", "x.csv/", ""]:
            self.assertIsNone(h.data_format(key), key)
        self.assertEqual(h.data_format("year=2024/part-1.csv"), "csv")

    def test_groups_files_by_format(self):
        groups = h.group_data_files(
            "s3://autogov-dev-raw-123-us-east-1/tables/d/t/",
            ["tables/d/t/b.csv", "tables/d/t/a.csv", "tables/d/t/x.json", "tables/d/t/", "tables/d/t/notes.md",
             "tables/d/t/_extra.csv", "tables/d/t/.pii.csv", "tables/d/t/_tmp/c.csv"],
        )
        bucket = "s3://autogov-dev-raw-123-us-east-1/"
        self.assertEqual(
            groups,
            {"csv": [bucket + "tables/d/t/a.csv", bucket + "tables/d/t/b.csv"], "json": [bucket + "tables/d/t/x.json"]},
        )


class TableFileFormatsTest(unittest.TestCase):
    """TSV, JSON arrays and new columns, as src/data/{files,json-array,column-match}.ts treat them."""

    def test_tsv_is_a_format_of_its_own(self):
        self.assertEqual(h.data_format("items.TSV"), "tsv")
        groups = h.group_data_files("s3://raw/tables/d/t/", ["tables/d/t/a.tsv", "tables/d/t/b.csv"])
        self.assertEqual(groups, {"csv": ["s3://raw/tables/d/t/b.csv"], "tsv": ["s3://raw/tables/d/t/a.tsv"]})

    def test_tsv_is_catalogued_for_lazy_simple_serde_with_a_tab_delimiter(self):
        _, _, serde, params = h.storage_format("tsv")
        self.assertEqual(serde["SerializationLibrary"], "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe")
        self.assertEqual(serde["Parameters"]["field.delim"], "\t")
        self.assertEqual(params, {"skip.header.line.count": "1", "classification": "csv", "delimiter": "\t"})
        self.assertEqual(h.storage_format("csv")[2]["SerializationLibrary"], "org.apache.hadoop.hive.serde2.OpenCSVSerde")
        self.assertEqual(h.storage_format("json")[2]["SerializationLibrary"], "org.openx.data.jsonserde.JsonSerDe")

    def test_tsv_is_read_by_spark_without_quoting_as_the_serde_reads_it(self):
        self.assertEqual(h.reader_options("tsv"), {"header": "true", "inferSchema": "true", "sep": "\t", "quote": ""})
        self.assertEqual(h.reader_options("csv"), {"header": "true", "inferSchema": "true"})
        self.assertEqual(h.catalog_column_type("tsv", "int"), "string")
        self.assertEqual(h.catalog_column_type("json", "bigint"), "bigint")

    def test_a_staged_json_array_is_refused_with_the_local_jobs_line(self):
        pretty = "\ufeff\n  [\n  {\"a\": 1}\n]".encode("utf-8")
        self.assertEqual(
            h.json_array_problem("d.t: export.json", pretty),
            "d.t: export.json: a JSON array, which Athena cannot read (its JSON SerDes take one object per line); "
            "convert it to JSON lines (autogov ingest does) and upload that",
        )
        self.assertIsNone(h.json_array_problem("d.t: rows.json", b'{"a": [1, 2]}\n{"a": []}\n'))
        # a ranged read may cut a multi-byte character: still decided on the first character
        self.assertIsNotNone(h.json_array_problem("x", b"[" + "\u00e9".encode("utf-8")[:1]))

    def test_new_columns_are_named_case_insensitively_with_the_approval_to_give(self):
        self.assertEqual(h.new_columns(["id", "Phone"], ["ID", "phone", "nickname"]), ["nickname"])
        self.assertEqual(h.new_columns(["id"], ["id"]), [])
        self.assertEqual(
            h.new_columns_refusal("d.t: stocks.csv", "d.t", ["ticker", "price"]),
            "d.t: stocks.csv: new columns ticker, price not in d.t; upload it with metadata "
            "autogov-allow-new-columns=true (autogov ingest --allow-new-columns) to accept them",
        )


class RulesTest(unittest.TestCase):
    def test_outcomes_map_to_pass_fail_error(self):
        self.assertEqual([h.map_outcome(o) for o in ["Passed", "Failed", "Error", None, "Skipped"]],
                         ["PASS", "FAIL", "ERROR", "ERROR", "ERROR"])

    def test_rule_results_keep_reason_and_finite_metrics(self):
        rules = h.rule_results(OUTCOME_ROWS)
        self.assertEqual([r["outcome"] for r in rules], ["PASS", "PASS", "FAIL", "ERROR"])
        self.assertNotIn("message", rules[0])
        self.assertEqual(rules[2]["message"], "Value: 0.8 does not meet the constraint requirement!")
        self.assertEqual(rules[2]["metrics"], {"Column.reference.ReferentialIntegrity": 0.8})
        self.assertEqual(rules[3]["metrics"], {})

    def test_score_is_passed_over_total(self):
        self.assertEqual(h.score(h.rule_results(OUTCOME_ROWS)), 0.5)
        self.assertIsNone(h.score([]))


class SensitiveDataTest(unittest.TestCase):
    def test_counts_each_cell_once_per_entity_type(self):
        cells = [
            {"customer_name": [{"entityType": "PERSON_NAME", "start": 0, "end": 4},
                               {"entityType": "PERSON_NAME", "start": 5, "end": 9}]},
            json.dumps({"customer_name": [{"entityType": "PERSON_NAME"}], "comment1": [{"entityType": "EMAIL"}]}),
            None,
            {},
        ]
        self.assertEqual(h.cell_entity_keys(cells[0]), ["customer_name\tPERSON_NAME"])
        # As the job aggregates on the executors: distinct pairs per cell, counted, then folded.
        pairs = {}
        for cell in cells:
            for key in h.cell_entity_keys(cell):
                pairs[key] = pairs.get(key, 0) + 1
        self.assertEqual(
            h.entity_counts(pairs.items()), {"customer_name": {"PERSON_NAME": 2}, "comment1": {"EMAIL": 1}}
        )

    def test_detector_rows_as_spark_rows_are_read_too(self):
        class Row(dict):
            def asDict(self, recursive=False):  # noqa: N802 — pyspark's name
                return dict(self)

        self.assertEqual(h.cell_entity_keys(Row(ssn=[{"entityType": "USA_SSN"}])), ["ssn\tUSA_SSN"])

    def test_fraction_of_non_null_cells_and_floor_at_threshold(self):
        found = h.entity_findings(
            {"a": ["EMAIL"], "b": ["PERSON_NAME"], "c": []},
            {"a": {"EMAIL": 3}},
            {"a": 4, "b": 10},
            0.1,
        )
        self.assertEqual({c: [(e["entityType"], e["fraction"]) for e in f] for c, f in found.items()},
                         {"a": [("EMAIL", 0.75)], "b": [("PERSON_NAME", 0.1)]})

    def test_evidence_says_which_glue_detection_backed_the_verdict(self):
        found = h.entity_findings(
            {"a": ["EMAIL"], "b": ["PERSON_NAME"]},
            {"a": {"EMAIL": 3}},
            {"a": 4, "b": 10},
            0.1,
            {"a": {"EMAIL": ["a***@e******.com", "b***@e******.org"]}},
        )
        self.assertEqual(found["a"][0]["evidence"], {
            "detectors": ["glue:classify_columns", "glue:detect"],
            "matchedCells": 3,
            "sampledCells": 4,
            "threshold": 0.1,
            "examples": ["a***@e******.com", "b***@e******.org"],
        })
        # classify_columns reported it but the row-level detect found none: only Glue's verdict backs it.
        self.assertEqual(found["b"][0]["evidence"]["detectors"], ["glue:classify_columns"])
        self.assertEqual(found["b"][0]["evidence"]["matchedCells"], 0)

    def test_redaction_agrees_with_the_typescript_engine(self):
        with open(REDACTION_CASES, encoding="utf-8") as f:
            cases = json.load(f)
        self.assertEqual([h.redact(v) for v, _ in cases], [shown for _, shown in cases])

    def test_examples_are_distinct_redacted_matches_at_most_three(self):
        rows = [
            {"note": "mail jane@example.com now", "DetectedEntities": {"note": [{"entityType": "EMAIL", "start": 5, "end": 21}]}},
            {"note": "mail jane@example.com now", "DetectedEntities": json.dumps({"note": [{"entityType": "EMAIL", "start": 5, "end": 21}]})},
            {"note": "Jo Li", "DetectedEntities": {"note": [{"entityType": "PERSON_NAME", "start": 0, "end": 5}]}},
            {"note": "x", "DetectedEntities": {"note": [{"entityType": "EMAIL"}]}},
        ] + [
            {"note": f"u{i}@ex.com", "DetectedEntities": {"note": [{"entityType": "EMAIL", "start": 0, "end": 9}]}}
            for i in range(5)
        ]
        examples = h.group_examples(k for row in rows for k in h.row_examples(row))
        self.assertEqual(examples, {"note": {"EMAIL": ["j***@e******.com", "u*@e*.com"], "PERSON_NAME": ["J* L*"]}})
        self.assertNotIn("jane", json.dumps(examples))


class FindingsDocumentTest(unittest.TestCase):
    def test_document_shape(self):
        doc = build()
        self.assertEqual(doc["version"], 2)
        self.assertEqual(doc["engine"], "glue")
        self.assertEqual(doc["evaluatedAt"], "2025-01-02T03:04:05.678Z")
        self.assertEqual(doc["dataQuality"]["score"], 0.5)
        sd = doc["sensitiveData"]
        self.assertEqual(sd["columnsScanned"], ["data_key", "customer_name", "customer_email"])
        self.assertEqual(sd["columnsFailed"], [{"column": "tags", "reason": "nested type array<string> is not scanned"}])
        self.assertEqual(sd["columns"]["customer_email"], [{
            "entityType": "EMAIL",
            "fraction": 0.8,
            "evidence": {
                "detectors": ["glue:classify_columns", "glue:detect"],
                "matchedCells": 4,
                "sampledCells": 5,
                "threshold": 0.1,
                "examples": ["j***@e******.com"],
            },
        }])
        self.assertNotIn("data_key", sd["columns"])

    def test_a_failed_column_is_not_reported_as_scanned(self):
        doc = build(columns_failed={"customer_name": "boom"})
        sd = doc["sensitiveData"]
        self.assertNotIn("customer_name", sd["columnsScanned"])
        self.assertNotIn("customer_name", sd["columns"])
        self.assertEqual(sd["columnsFailed"], [{"column": "customer_name", "reason": "boom"}])

    def test_timestamps_are_utc_with_milliseconds(self):
        plus_two = timezone(timedelta(hours=2))
        self.assertEqual(h.iso_timestamp(datetime(2025, 1, 2, 5, 0, 0, tzinfo=plus_two)), "2025-01-02T03:00:00.000Z")

    def test_documents_match_the_exported_json_schema(self):
        if jsonschema is None:
            self.skipTest("jsonschema is not installed (pip install jsonschema); schema validation skipped")
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            schema = json.load(f)
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        for doc in [build(), build(rules=[]), build(columns_failed={}, classified={})]:
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
            self.assertEqual([f"{list(e.path)}: {e.message}" for e in errors], [])
        # The schema is strict: an unknown field or a lower-case outcome is rejected.
        bad = build()
        bad["extra"] = True
        bad["dataQuality"]["rules"][0]["outcome"] = "pass"
        self.assertGreaterEqual(len(list(validator.iter_errors(bad))), 2)

    def test_document_is_plain_json(self):
        json.loads(json.dumps(build(), allow_nan=False))


if __name__ == "__main__":
    unittest.main()
