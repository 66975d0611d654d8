"""flakturm: news and OSINT reporting on air-defence and strike systems, as a DuckDB warehouse."""

__version__ = "0.1.0"
