"""The store layer: models, migrations, reference data, ingestion, generator and read-model queries."""
