"""The request class: every temporary file werkzeug spools an upload into is closed with the request.

werkzeug writes an uploaded file part larger than 500 KB to a temporary file. When the body ends
early or passes MAX_CONTENT_LENGTH half-way (a chunked upload has no Content-Length to refuse it by),
werkzeug raises 413 from inside its multipart parser and drops the file it was writing without
closing it. That leaks a file descriptor per refused upload until the garbage collector runs (and
pytest turns the ResourceWarning into an error in some unrelated later test). Keeping a reference to
each spooled file and closing them all in `close()`, which Flask calls when the request ends, fixes
that for refused and accepted uploads alike.
"""

from __future__ import annotations

from typing import IO, Any

from flask import Request


class PortalRequest(Request):
    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> IO[bytes]:
        stream = super()._get_file_stream(total_content_length, content_type, filename, content_length)
        self.__dict__.setdefault("_spooled_uploads", []).append(stream)
        return stream

    def close(self) -> None:
        try:
            super().close()
        finally:
            for stream in self.__dict__.pop("_spooled_uploads", []):
                stream.close()


def init_app(app: Any) -> None:
    app.request_class = PortalRequest
