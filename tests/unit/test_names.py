import unicodedata

from flows.names import normalise_name, normalise_text, strip_diacritics


def test_diacritics_are_stripped_as_unicode_defines_combining_marks():
    samples = ["Novo-Ogaryovo", "Zarečje", "Київ", "Ёлки", "Ḥamās", "Ångström", "naïve café", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 é", "quote ’ “ ”"]
    for text in samples:
        decomposed = unicodedata.normalize("NFKD", text)
        assert strip_diacritics(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_name_keys_are_the_same_memoised_or_not():
    for name in ["Novo-Ogarevo", "NOVO OGAREVO", "Новоогарёво", "S-400 Triumf", "x" * 100]:
        assert normalise_name(name) == normalise_text(name)
    assert normalise_name("Novo-Ogaryovo") == "novoogaryovo"
