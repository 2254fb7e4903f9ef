"""Static files as served in production: hashed names and gzip copies (WhiteNoise)."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage with gzip copies only. WhiteNoise also writes brotli copies whenever the `brotli`
    module is importable; it is since WeasyPrint (the year-end review's PDF) brought it in for WOFF2 fonts,
    and brotli at its highest quality made `collectstatic` ten times slower on this node's files (37 s of CPU
    instead of 3.3 s), which every node start and every multi-node test pays. The node served gzip before."""

    def create_compressor(self, **kwargs: Any) -> Any:
        kwargs["use_brotli"] = False
        return super().create_compressor(**kwargs)
