from pathlib import Path

from services.graph.schema import schema

SCHEMA_FILE = Path(__file__).parents[2] / "schema" / "schema.graphql"


def test_the_committed_schema_matches_the_code():
    assert SCHEMA_FILE.read_text() == str(schema) + "\n", (
        "schema/schema.graphql is stale: run `stelsel export-schema`"
    )
