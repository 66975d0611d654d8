-- One row per article: its metadata and the normalised body (`text`) that every offset indexes.
SELECT
    article_id,
    source_name,
    title,
    publisher,
    url,
    published_date,
    text,
    author,
    text_format,
    encoding,
    encoding_fallback,
    n_chars,
    is_missing,
    extractor_version,
    catalog_version
FROM articles
