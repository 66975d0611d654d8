import unicodedata

from flows.names import normalise_name, normalise_text, strip_diacritics


def test_diacritics_are_stripped_as_unicode_defines_combining_marks():
    samples = ["Novo-Ogaryovo", "Zarečje", "Київ", "Ёлки", "Ḥamās", "Ångström", "naïve café", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 é", "quote ’ “ ”"]
    for text in samples:
        decomposed = unicodedata.normalize("NFKD", text)
        assert strip_diacritics(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_name_keys_fold_case_marks_and_punctuation():
    assert normalise_name("Novo-Ogaryovo") == normalise_name("NOVO OGARYOVO") == "novoogaryovo"
    assert normalise_name("Zarečje") == "zarecje"
    assert normalise_name("Новоогарёво") == "новоогарево"
    sentence = "The S-400 “Triumf” stood in Losiny Ostrov park, officials said. " * 3  # past the memo's length
    assert normalise_name(sentence) == normalise_text(sentence) == (
        "thes400triumfstoodinlosinyostrovparkofficialssaid" * 3
    )
