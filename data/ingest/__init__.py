"""Ingestion of bureau submissions: read any template file, validate every row, store the valid rows in one go.

`ingest(store, content, bureau_code, ...)` is the one entry point, used by the CLI and by the upload on the
委办局报送考核 page.
"""

from data.ingest.pipeline import IngestResult, Submitter, ingest, report_frame
from data.ingest.readers import IngestError

__all__ = ["IngestError", "IngestResult", "Submitter", "ingest", "report_frame"]
