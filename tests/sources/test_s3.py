"""Pulling from S3-compatible storage, against a real (moto) S3 server."""

from __future__ import annotations

import logging

import boto3
import pytest

from scorecard.errors import InputError
from scorecard.sources import SourcesSettings, pull, read_entities
from transforms.periods import Period

from .exports import (
    CANONICAL_CSV,
    TICKETS_HEADER,
    assert_archive_intact,
    assert_one_line,
    write_exports,
)

BUCKET = "crm-exports"
KEY_ID_ENV, SECRET_ENV = "TEST_S3_KEY_ID", "TEST_S3_SECRET"
KEY_ID, SECRET = "AKIASCORECARDTEST", "s3-Secret-Key-2b8d0e"
Q3 = Period.parse("2026Q3")


@pytest.fixture
def bucket(s3_endpoint, monkeypatch):
    """An S3 bucket with the canonical exports under exports/, tickets as monthly drops."""
    monkeypatch.setenv(KEY_ID_ENV, KEY_ID)
    monkeypatch.setenv(SECRET_ENV, SECRET)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    client.create_bucket(Bucket=BUCKET)
    uploaded: dict[str, bytes] = {}
    for entity, text in CANONICAL_CSV.items():
        if entity != "tickets":
            uploaded[f"{entity}.csv"] = text.encode()
    for n, month in enumerate(("2026-07", "2026-08", "2026-09")):
        row = f"T{n},C1,chat,{month}-15T10:00:00Z,,,A1,north,x,,false,1,0,60"
        uploaded[f"tickets_{month}.csv"] = f"{TICKETS_HEADER}\n{row}\n".encode()
    uploaded["tickets_2026-10.csv"] = b"not in this quarter"
    for name, data in uploaded.items():
        client.put_object(Bucket=BUCKET, Key=f"exports/{name}", Body=data)
    return client, uploaded


def s3_settings(endpoint: str, **entities) -> SourcesSettings:
    return SourcesSettings.model_validate(
        {
            "kind": "s3",
            "s3": {
                "bucket": BUCKET,
                "prefix": "exports/",
                "endpoint_url": endpoint,
                "region": "us-east-1",
                "access_key_id_env": KEY_ID_ENV,
                "secret_access_key_env": SECRET_ENV,
            },
            "tickets": {"template": "tickets_{period}.csv"},
            **entities,
        }
    )


def test_a_quarter_is_pulled_from_s3_and_archived_unchanged(bucket, s3_endpoint, tmp_path, caplog):
    _, uploaded = bucket
    caplog.set_level(logging.DEBUG, logger="scorecard")
    settings = s3_settings(s3_endpoint)
    manifest = pull(settings, Q3, tmp_path / "run")
    result = read_entities(manifest, settings)

    assert [e.source_uri for e in manifest.for_entity("tickets")] == [
        f"s3://{BUCKET}/exports/tickets_{m}.csv" for m in ("2026-07", "2026-08", "2026-09")
    ]
    assert result.frames["tickets"]["ticket_id"].to_list() == ["T0", "T1", "T2"]
    assert result.frames["customers"]["customer_id"].to_list() == ["C1", "C2"]
    assert_archive_intact(manifest, uploaded)

    manifest_text = (tmp_path / "run" / "archive" / "manifest.json").read_text()
    for secret in (SECRET, KEY_ID):
        assert secret not in manifest_text
        assert secret not in caplog.text


def test_glob_on_s3_and_a_folder_default(bucket, s3_endpoint, tmp_path):
    client, _ = bucket
    for name in ("a.jsonl", "b.jsonl", "notes.txt"):
        body = b'{"response_id": "%s", "survey": "csat", "score": 4, "submitted_at": "2026-10-02T10:00:00Z"}\n'
        client.put_object(Bucket=BUCKET, Key=f"exports/surveys/{name}", Body=body % name.encode())
    folder = write_exports(tmp_path / "src", skip=("survey_responses",))
    settings = SourcesSettings.model_validate(
        {
            "path": str(folder),
            "s3": {
                "bucket": BUCKET,
                "prefix": "exports",
                "endpoint_url": s3_endpoint,
                "access_key_id_env": KEY_ID_ENV,
                "secret_access_key_env": SECRET_ENV,
            },
            "survey_responses": {"kind": "s3", "glob": "surveys/*.jsonl"},
        }
    )
    manifest = pull(settings, Period.parse("2026-10"), tmp_path / "run")
    assert [e.name for e in manifest.for_entity("survey_responses")] == ["a.jsonl", "b.jsonl"]
    assert manifest.for_entity("orders")[0].source_uri == str((folder / "orders.csv").resolve())
    frames = read_entities(manifest, settings).frames
    assert frames["survey_responses"]["response_id"].to_list() == ["a.jsonl", "b.jsonl"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"agents": {"path": "hr/agents.csv"}},
            f"s3://{BUCKET}/exports/hr/agents.csv: export not found — put the file there",
        ),
        (
            {"s3": {"bucket": "no-such-bucket"}},
            "s3://no-such-bucket: bucket not found — check bucket",
        ),
        (
            {"s3": {"endpoint_url": "http://127.0.0.1:9"}},
            "cannot reach S3 (EndpointConnectionError)",
        ),
    ],
)
def test_s3_failures_are_one_line_without_secrets(bucket, s3_endpoint, tmp_path, change, message):
    settings = s3_settings(s3_endpoint)
    values = settings.model_dump()
    for key, update in change.items():
        values[key] = {**(values[key] or {}), **update}
    with pytest.raises(InputError) as caught:
        pull(SourcesSettings.model_validate(values), Q3, tmp_path / "run")
    text = str(caught.value)
    assert message in text
    assert_one_line(text)
    assert SECRET not in text and KEY_ID not in text
