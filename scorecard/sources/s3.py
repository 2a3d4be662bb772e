"""S3-compatible object storage as a source of export files (objects are only read)."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from scorecard.archive import ArchivedFile, archive_stream
from scorecard.errors import InputError
from scorecard.sources.secrets import optional_env, read_secret, scrub
from scorecard.sources.settings import S3Settings

T = TypeVar("T")
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


class S3Store:
    """Objects under ``s3://bucket/prefix/``; names are keys relative to the prefix."""

    def __init__(self, settings: S3Settings) -> None:
        self.settings = settings
        self.prefix = settings.prefix.strip("/") + "/" if settings.prefix.strip("/") else ""
        access_key = optional_env(settings.access_key_id_env)
        secret_key = (
            read_secret(None, settings.secret_access_key_block, "S3 secret key")
            if settings.secret_access_key_block
            else optional_env(settings.secret_access_key_env)
        )
        self._secrets = (access_key, secret_key)
        self.client = boto3.client(  # without keys, boto3's own credential chain applies
            "s3",
            endpoint_url=settings.endpoint_url,
            region_name=settings.region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 3}),
        )
        self._check_bucket()

    def uri(self, name: str) -> str:
        return f"s3://{self.settings.bucket}/{self.prefix}{name}"

    def exists(self, name: str) -> bool:
        return self._found(
            name,
            lambda: self.client.head_object(Bucket=self.settings.bucket, Key=self.prefix + name),
        )

    def glob(self, pattern: str) -> list[str]:
        """Keys (relative to the prefix) matching ``pattern``, sorted."""
        literal_head = pattern.split("*")[0].split("?")[0].split("[")[0]

        def listing() -> list[str]:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.settings.bucket, Prefix=self.prefix + literal_head
            )
            keys = [
                obj["Key"][len(self.prefix) :] for page in pages for obj in page.get("Contents", [])
            ]
            return sorted(k for k in keys if fnmatch.fnmatchcase(k, pattern))

        return self._call(pattern, listing)

    def archive(self, run_dir: Path, entity: str, name: str) -> ArchivedFile:
        def download() -> ArchivedFile:
            body = self.client.get_object(Bucket=self.settings.bucket, Key=self.prefix + name)[
                "Body"
            ]
            with body:
                return archive_stream(run_dir, entity, self.uri(name), Path(name).name, body)

        return self._call(name, download)

    def _check_bucket(self) -> None:
        if not self._found("", lambda: self.client.head_bucket(Bucket=self.settings.bucket)):
            raise InputError(
                f"s3://{self.settings.bucket}",
                "bucket not found",
                "check bucket and endpoint_url in [sources.s3]",
            )

    def _found(self, name: str, head: Callable[[], object]) -> bool:
        """Whether a HEAD request finds what it asks for (False on 404)."""

        def attempt() -> bool:
            try:
                head()
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in _NOT_FOUND:
                    return False
                raise
            return True

        return self._call(name, attempt)

    def _call(self, name: str, action: Callable[[], T]) -> T:
        """Run one S3 request; turn its failure into one line without secrets."""
        try:
            return action()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            reason = f"S3 refused the request ({scrub(str(code), self._secrets)})"
        except BotoCoreError as exc:
            reason = f"cannot reach S3 ({type(exc).__name__})"
        raise InputError(
            self.uri(name),
            reason,
            f"check [sources.s3] endpoint_url, bucket and prefix, and the keys in "
            f"{self.settings.access_key_id_env} / {self.settings.secret_access_key_env}",
        ) from None
