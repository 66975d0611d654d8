"""Pure pipeline stages: typed records in, typed records out, no Prefect."""
