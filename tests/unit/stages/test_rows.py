from flows.catalog import current_catalog
from flows.models import Article
from flows.stages.extract import extract_article
from flows.stages.rows import CHILD_RECORDS, extracted_rows, merge_extracted, n_rows, rows_of

CATALOG = current_catalog()
TEXTS = (
    "A Pantsir-S1 was lifted onto a roof in Moscow on Friday, the Daily Mail reported.",
    "An S-400 battery stands in Losiny Ostrov park, according to images shared on social media.",
    "Spokesperson Olena Hrytsenko said an S-550 was seen near Belgorod.",
)


def extraction(i: int, text: str):
    return extract_article(Article(article_id=f"a{i}", content_hash=f"h{i}", source_name=f"{i}.txt", text=text,
                                   text_format="text", encoding="utf-8"), CATALOG)


def test_columns_hold_every_record_field_in_record_order():
    extractions = [extraction(i, t) for i, t in enumerate(TEXTS)]
    rows = extracted_rows(extractions)
    for name, record in CHILD_RECORDS.items():
        records = [r for e in extractions for r in getattr(e, name)]
        assert n_rows(rows.tables[name]) == len(records)
        assert rows_of(rows.tables[name]) == [r.model_dump() for r in records]
    assert rows.n_articles == 3


def test_merged_parts_equal_one_extraction_of_everything():
    extractions = [extraction(i, t) for i, t in enumerate(TEXTS)]
    whole = extracted_rows(extractions)
    merged = merge_extracted([extracted_rows(extractions[:1]), extracted_rows(extractions[1:])])
    assert merged == whole
    assert merge_extracted([]).n_articles == 0 and all(n_rows(c) == 0 for c in merge_extracted([]).tables.values())
