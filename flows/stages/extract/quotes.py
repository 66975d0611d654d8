"""Quotes: direct quotations and who said them (said/told/wrote/according to, before or after the
quote, across sentence breaks, partial quotes). Scare quotes and single terms are not statements."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from flows.models import Mention, Quote
from flows.names import stable_id
from flows.stages.extract import lexicon as lx
from flows.stages.extract.text import paragraph_of

MIN_QUOTE_WORDS = 4
MIN_PARTIAL_QUOTE_WORDS = 2  # 'Austin said allies were "scouring their inventories"'
_PAIRS = {"“": "”", "«": "»", '"': '"', "„": "“"}
_VERBS = "|".join(sorted(lx.REPORTING_VERBS | {"according to", "quoted", "acknowledged", "replied", "responded",
                                                "answered", "telling", "tells", "stressed", "emphasised",
                                                "emphasized", "recalled", "recalls", "continued", "continues", "concluded", "concludes", "commented",
                                                "called", "described", "describes", "complained", "complains", "vowed",
                                                "boasted", "read", "reads", "asked", "urged", "blamed", "put it",
                                                "promised", "pledged"}))
_VERB_RE = re.compile(rf"(?<![\w-])(?:{_VERBS})\b", re.I)  # not "so-called"
_PRONOUN_SPEAKER = re.compile(rf"^\s*,?\s*(?:he|she)\s+(?:{_VERBS})\b|\b(?:he|she)\s+(?:{_VERBS})\b[^\n]*$", re.I)


@dataclass(frozen=True)
class QuotedSpan:
    start: int  # first character inside the quote marks
    end: int  # last character inside, exclusive

    @property
    def outer(self) -> tuple[int, int]:
        return self.start - 1, self.end + 1


_OPENERS = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
# British style, in a text with no double quotes at all: 'Look at the cannon – ...,' Kartograf wrote.
# An opening mark starts a word after a space or a bracket; a closing one ends a word (not "it's").
_SINGLE_OPENER = re.compile(r"(?:^|(?<=[\s(\[—–:]))['‘](?=\w)")
_SINGLE_CLOSER = re.compile(r"(?<=[\w.,!?…])['’](?![\w])")


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Spans between matching quote marks, never across a paragraph break. A quotation that runs on
    into the next paragraph (wire style: no closing mark, the next paragraph opens again) ends at its
    paragraph's end. Single quote marks count in a text that has no double ones, and, in one that has,
    where a speech verb follows the closing mark (a caption: "‘A Shahed sounds like a moped,’ says ...")."""
    front_matter = _FRONT_MATTER.match(text)
    if _OPENERS.search(text, front_matter.end() if front_matter else 0) is None:  # none but YAML's: 'title: "..."'
        return _single_quoted_spans(text)
    double = _double_quoted_spans(text)
    if _SINGLE_QUOTE_SAID.search(text) is None:
        return double
    single = [s for s in _single_quoted_spans(text) if _SAID_AFTER.match(text, s.end + 1)
              and not any(d.start <= s.start < d.end for d in double)]  # not one quoted inside another
    return sorted(double + single, key=lambda s: s.start)


_FRONT_MATTER = re.compile(r"(?:[a-z_]+:[^\n]*\n)+")  # "title: ...", "journal: ..." lines opening the text
_SAID = r"\s+(?:says|said|adds|added|told|tells|writes|wrote)\b"
_SAID_AFTER = re.compile(_SAID)
_SINGLE_QUOTE_SAID = re.compile(rf"[,.!?][’']{_SAID}")  # "...,’ says": a single-quoted statement somewhere


def _double_quoted_spans(text: str) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    position = 0
    while match := _OPENERS.search(text, position):
        i = match.start()
        closer = _PAIRS[text[i]]
        j = text.find(closer, i + 1)
        paragraph_end = _line_end(text, i)
        if 0 <= j < paragraph_end:
            spans.append(QuotedSpan(i + 1, j))
            position = j + 1
        elif text[paragraph_end:].lstrip("\n")[:1] == text[i]:
            spans.append(QuotedSpan(i + 1, paragraph_end))
            position = paragraph_end
        else:
            position = i + 1
    return spans


def _in_a_headline(text: str, span: QuotedSpan) -> bool:
    """The article's title (its first line, short and with no full stop, or a front-matter value: 'author: "Tamsin
    Kerr with AP"'), a Markdown heading, or a subheading line that is only a quote without a full stop ('"The
    lights are going out"')."""
    line_start, line_end = text.rfind("\n", 0, span.start) + 1, _line_end(text, span.start)
    if line_start == 0 and line_end <= HEADLINE_CHARS and text[:line_end].rstrip(" \t”\"’'»")[-1:] not in ".!?" \
            or text[line_start:line_start + 1] == "#":
        return True
    if (front_matter := _FRONT_MATTER.match(text)) and span.start < front_matter.end():
        return True
    return line_start == span.start - 1 and line_end == span.end + 1 and text[span.end - 1] not in ".!?…," \
        and len(text[span.start:span.end].split()) <= HEADING_WORDS


HEADLINE_CHARS = 160  # a first line longer than this is a paragraph, not a title
HEADING_WORDS = 12


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i + 1)
    return len(text) if end < 0 else end


def _single_quoted_spans(text: str) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    position = 0
    while opener := _SINGLE_OPENER.search(text, position):
        i = opener.start()
        paragraph_end = _line_end(text, i)
        closer = _SINGLE_CLOSER.search(text, i + 2, paragraph_end)
        if closer:
            spans.append(QuotedSpan(i + 1, closer.start()))
            position = closer.end()
        else:
            position = i + 1
    return spans


def _trimmed(text: str, span: QuotedSpan) -> tuple[int, int]:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


_INTRODUCED = re.compile(rf"(?::|(?<![\w-])(?:{_VERBS})(?:\s+that)?)\s*$", re.I)
_ANAPHORIC_SPEAKER = re.compile(
    rf"^\W{{0,4}}(?:(?:{_VERBS})\s+)?(?:the\s+|a\s+)?(?P<noun>statement|ministry|channel|account|post|agency|spokes(?:man|woman|person)|"
    r"official|president|mayor|governor|minister|judge|lawyer|analyst|expert|officer|colonel|engineer|historian|he|she|it|"
    r"\d+-year-old)\b",  # '"...," says the 44-year-old laboratory technician' 
    re.I,
)
_KINDS_FOR = {
    "statement": None, "ministry": {"ministry", "government_body"}, "agency": {"agency", "wire_service"},
    "channel": {"telegram_channel", "outlet", "broadcaster", "osint"}, "account": {"osint", "telegram_channel"},
    "post": {"telegram_channel", "outlet", "osint"}, "it": None,
}
PERSON = {"person", "anonymous_source"}
NOT_SPEAKERS = {"social_platform"}


def _speaker_after(text: str, span: QuotedSpan, actors: list[Mention], kind_of, sentence_end: int) -> Mention | None:
    """“...,” wrote Dmitry Medvedev / "...," Peskov told reporters / "...," the statement said."""
    close = span.end + 1
    # '“...” That was how Zelensky described the attacks', even in the next paragraph
    if named_next := _NAMED_IN_NEXT_SENTENCE.match(text, close, close + 120):
        start = named_next.end()  # 'Those were the words of Foreign Ministry spokeswoman Maria Zakharova'
        following = sorted((m for m in actors if start <= m.char_start < start + 80), key=lambda m: kind_of(m) not in PERSON)
        return following[0] if following else None
    window_end = min(len(text), close + 90)
    newline = text.find("\n", close)
    if 0 <= newline < window_end:
        window_end = newline
    if close < sentence_end < window_end:  # '”, and posted a clip ... near Odintsovo. Novaya Gazeta could not verify'
        window_end = sentence_end
    tail = text[close:window_end]
    if not _VERB_RE.search(tail) or _COORDINATED_VERB.match(tail):
        return None  # '... called the attack "..." and said it showed that ...': the speaker is named before
    if text[span.end - 1:span.end] == "." and re.match(r"\s+[A-Z]", tail) and (re.search(r"[:“\"«]", tail)
                                                                           or not _TAG_SENTENCE.match(tail)):
        return None  # '... the Black Sea." Sergei Aksyonov wrote: “...”': the next sentence introduces its own quote;
        # '... "plenty of time to study them." ISW has previously reported on ...' is a sentence of its own, not a tag
    if re.match(r"[.!?]\s+[A-Z]", tail):
        return None  # 'had been "destroyed and suppressed". The ministry claimed ...': another sentence's subject
    if re.match(r"\W*\s*(?:which|while|whereas)\b", tail):
        return None  # '... "not enough Pantsirs for everything," which, as u/ZenithOverTver noted, "is ...": a comment on
        # it; '... "in broad daylight", while the channel Rybar asked ...': a clause of its own
    anaphoric = _ANAPHORIC_SPEAKER.match(tail)
    if anaphoric and anaphoric.group("noun").lower() in ("he", "she"):  # '...," she told DW.'
        return _person_meant_by_pronoun(text, span.start, actors, kind_of)
    if anaphoric and (institution := _SPEAKING_FOR.match(tail, anaphoric.end())):  # '...," a spokesman for the ministry's press service said'
        anaphoric = institution
    if anaphoric and _VERB_RE.match(tail, anaphoric.end() + 1):  # '...," the ministry said in a statement carried by TASS'
        earlier = _earlier_of_kind(anaphoric.group("noun").lower(), span, actors, kind_of, text)
        if earlier:
            return earlier
    following = [m for m in actors if close <= m.char_start < window_end]
    # a person before the outlet they spoke to: '..., a local man, X, 67, was quoted as telling the Daily Mail'
    following.sort(key=lambda m: (kind_of(m) not in PERSON, m.char_start))
    for mention in following:
        between = text[close:mention.char_start]
        after = text[mention.char_end:mention.char_end + 160]
        if _TOLD_LISTENER.search(between) or _SUBORDINATE.search(between) or _NEW_CLAUSE.search(between):
            continue  # '...," MGU's press service told the Moscow newspaper Moskovsky Komsomolets': who heard it;
            # '... “a question for the military” and would not say whether the president had been consulted'; '... reports
            # drones "destroyed by air defence" over the region, and Kursk governor X has asked ...': a clause of its own

        if _VERB_RE.search(between) or _VERB_AFTER_SPEAKER.match(after):
            return mention
        if kind_of(mention) not in PERSON and _MEMBER_THEN_VERB.match(after) and _A_MEMBER_OF.search(between):
            return mention  # '...," a HUR officer involved in planning the strikes said': one of its people
    return _earlier_of_kind(anaphoric.group("noun").lower(), span, actors, kind_of, text) if anaphoric else None


_PERSON_NOUNS = "|".join(sorted(lx.PERSON_ROLES | lx.SOURCE_HEADS))
_DEFINITE_PERSON = re.compile(rf"\bthe\s+(?:[\w-]+\s+){{0,2}}?(?P<noun>{_PERSON_NOUNS})\b", re.I)  # "the former officer"


def _person_meant_by_pronoun(text: str, before: int, actors: list[Mention], kind_of) -> Mention | None:
    """'he' or 'she' by a quote: the subject of the last sentence before it that names a person, taken to
    be its first person not in the possessive ('Medvedev ... called for Zelensky to be killed. "...," he
    wrote'; 'Podolyak, an adviser to President Zelensky's office, ...')."""
    people = [m for m in actors if m.char_end <= before and kind_of(m) in PERSON]
    if not people or _UNNAMED_PERSON.search(text, people[-1].char_end, before):
        return None  # "A woman who runs a flower stall ... told me ... “...,” she said": someone the text does not name
    for named_again in reversed(list(_DEFINITE_PERSON.finditer(text, people[-1].char_end, before))):
        # "..., the former officer did not hesitate. “...,” he said": the unnamed source quoted before
        noun = named_again.group("noun").lower()
        unnamed = [m for m in people if kind_of(m) == "anonymous_source" and m.surface.lower().endswith(noun)]
        if unnamed:
            return unnamed[-1]
    in_last_sentence = [m for m in people if m.sentence_idx == people[-1].sentence_idx
                        and text[m.char_end:m.char_end + 2] not in ("'s", "’s")]
    return in_last_sentence[0] if in_last_sentence else people[-1]


def _earlier_of_kind(noun: str, span: QuotedSpan, actors: list[Mention], kind_of, text: str) -> Mention | None:
    """The last actor before the quote that 'the ministry', 'the channel', 'the spokesman' can mean; 'the officer'
    after 'an officer in Ukraine's Air Force' (and no one named since) is that institution's."""
    kinds = _KINDS_FOR.get(noun, PERSON)
    earlier = [m for m in actors if m.char_end <= span.start and (kinds is None or kind_of(m) in kinds)]
    if noun == "it":  # '"All targets were destroyed," it said': an institution named just before
        earlier = [m for m in earlier if kind_of(m) not in PERSON and span.start - m.char_end <= IT_REACH]
    if kinds is PERSON and noun in MEMBER_NOUNS:
        members_of = [m for m in actors if m.char_end <= span.start and kind_of(m) not in PERSON
                      and (earlier == [] or m.char_start > earlier[-1].char_end) and _member_of(text, noun, m)]
        if members_of:
            return members_of[-1]
    return earlier[-1] if earlier else None


MEMBER_NOUNS = ("officer", "official", "source", "spokesman", "spokeswoman", "spokesperson", "representative",
                "commander", "soldier", "pilot", "diplomat", "employee", "aide", "adviser", "advisor")
_MEMBER_THEN_VERB = re.compile(rf"\s+(?:{'|'.join(MEMBER_NOUNS)})\b[^,.;:“”\"\n]{{0,60}}?\s(?:{_VERBS})\b", re.I)
_A_MEMBER_OF = re.compile(r"\b(?:an?|one)\s+$", re.I)


def _member_of(text: str, noun: str, institution: Mention) -> bool:
    """'An officer in Ukraine's Air Force', 'a HUR officer': someone unnamed of the institution."""
    before = text[max(0, institution.char_start - 60):institution.char_start]
    member_in = re.search(rf"\b(?:an?|one)\s+(?:[\w-]+\s+){{0,2}}?{noun}\s+(?:in|with|from|at|of)\s+(?:the\s+)?$",
                          before, re.I)
    return member_in is not None or _A_MEMBER_OF.search(before) is not None \
        and re.match(rf"\s+{noun}\b", text[institution.char_end:]) is not None


_COORDINATED_VERB = re.compile(rf"\W{{0,3}}\s*(?:and|but)\s+(?:\w+ly\s+)?(?:{_VERBS})\b", re.I)
# what makes the name after it a complement, not a subject: "in an interview with The War Zone", "told", "accused
# Ukraine of trying to assassinate Vladimir Putin"
_COMPLEMENT_BEFORE = re.compile(r"\b(?:of|to|at|on|for|with|about|against|from|told|to\s+[a-z]+)\s+(?:[Tt]he\s+)?$")
_TOLD_LISTENER = re.compile(r"^\W*\w[^“”\"]*?\s(?:told|telling)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}$")
_NEW_CLAUSE = re.compile(r"[,;]\s+(?:and|but|while|whereas)\s")
_SUBORDINATE = re.compile(r"\b(?:whether|if|why|how)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}$")
IT_REACH = 250  # characters: about the sentence before the quote
_SPEAKING_FOR = re.compile(r"\s+(?:for|of)\s+the\s+(?P<noun>ministry|agency|channel)(?:['’]s\s+press\s+service)?\b", re.I)
_UNNAMED_PERSON = re.compile(  # "A representative of the ... company denied ...", "..., says a manager of one of the insurers",
    # "..., but a Russian air defence serviceman ... described the situation"
    rf"(?:(?:^|[.!?]\s+)(?:An?|One|The)|\b(?:says|said|according\s+to|but|while)\s+(?:an?|one))\s+(?:[\w-]+\s+){{0,3}}"
    rf"(?:{'|'.join(sorted(lx.PERSON_ROLES | {'representative'}))})\b")


# what precedes a term, not a statement: 'what Moscow calls its "special military operation"' (but 'for what he
# called "a very significant result"' quotes him)
_TERM_BEFORE = re.compile(r"(?:\bwhat\s+[\w-]+\s+(?:calls|terms?|dubs?)|so-called|\bdubbed|\bknown\s+as|\btermed|\bnicknamed)"
                          r"\s+(?:its\s+|their\s+|his\s+|her\s+|the\s+|an?\s+)?$", re.I)


_NAMED_IN_NEXT_SENTENCE = re.compile(
    r"\s*(?:(?:That|This|Those|These)\s+(?:was|is|were|are)\s+(?:how|what|the\s+(?:words|view|verdict|assessment)\s+of)"
    r"|(?:The|That|This|Those|These)\s+(?:[a-z]+\s+){1,2}?(?:came|comes)\s+from)\s+"
)
_VERB_AFTER_SPEAKER = re.compile(  # "X, 64, who lives on Profsoyuznaya Street, said", "the secretary general, X, said",
    # "a former air defence officer who served in the 1st Air and Missile Defence Army told"
    rf"(?:(?:\s*,[^,\n]{{1,120}}){{1,2}},|,|\s+who\s+[^,;.“”\"\n]{{1,80}}?\s)?\s*(?:was\s+|were\s+|has\s+|had\s+)?(?:\w+ly\s+)?"
    rf"(?:{_VERBS})\b", re.I
)
_SUBJECT_GAP = re.compile(
    r"(?:\s+(?:Telegram\s+)?(?:channel|newspaper|website|outlet|agency|blog|newsletter))?\s*"
    r"(?:,[^“”\"]{0,150}?,\s*|,\s*)?(?:\w+ly\s+)?(?:has\s+|have\s+|had\s+|also\s+)?(?:\w+ly\s+)?"
)


_PARTICIPLE = re.compile(r",\s+(?:saying|adding|noting|writing|telling|claiming|warning|insisting|arguing|explaining)\b", re.I)
# ' spokesperson ', ' press secretary ', "'s spokesman ", ' spokesman, '
_ROLE_BETWEEN = re.compile(r"(?:['’]s)?\s+(?:[a-z-]+\s+){1,3}|\s+(?:[a-z-]+\s+){0,2}[a-z-]+,\s+")
_ACCORDING_TO = re.compile(r"\baccording\s+to\b", re.I)
_ROLE_BEFORE_NAME = re.compile(r"\s+(?:(?:the|a|an)\s+)?(?:[a-z-]+\s+){0,3}")


def _speaker_before(text: str, span: QuotedSpan, sentence_start: int, actors: list[Mention]) -> Mention | None:
    """The subject of the reporting verb before the quote: 'X, an adviser to Y, said on Twitter that "..."',
    'X acknowledged ... that “...”'."""
    open_ = span.start - 1
    candidates = [m for m in actors if sentence_start <= m.char_start and m.char_end <= open_]
    for mention in candidates:  # "governor Andrei Vorobyov: “...”", not "in an interview with The War Zone: “...”"
        if re.fullmatch(r"\s*:\s*", text[mention.char_end:open_]) \
                and not _COMPLEMENT_BEFORE.search(text, max(0, mention.char_start - 30), mention.char_start):
            return mention
    # the reporting verb nearest the quote first: "the Air Force said ..., and Kharkiv mayor Ihor Terekhov wrote that “...”"
    for verb in reversed(list(_VERB_RE.finditer(text, sentence_start, open_))):
        for mention in candidates:
            if mention.char_end <= verb.start() and _SUBJECT_GAP.fullmatch(text, mention.char_end, verb.start()):
                return _named_in_apposition(text, mention, candidates) or mention
    for according in _ACCORDING_TO.finditer(text, sentence_start, open_):  # "According to the local historian X, the site"
        for i, mention in enumerate(candidates):
            if _ROLE_BEFORE_NAME.fullmatch(text, according.end(), mention.char_start):
                # "According to HUR representative Andriy Yusov, ...": the person the institution's role names
                following = candidates[i + 1:i + 2]
                return following[0] if following and _ROLE_BETWEEN.fullmatch(text, mention.char_end, following[0].char_start) else mention
    if candidates and (re.search(r":\s*$", text[sentence_start:open_]) or _PARTICIPLE.search(text, sentence_start, open_)):
        # "X, ..., put it bluntly in an interview with Y: “...”", "Kremlin spokesman Dmitry Peskov has referred
        # questions to the Ministry of Defence, saying that their placement was “...”" -> the subject; "Air Force
        # spokesperson Yurii Ihnat credited ...: “...”" -> the person the institution's role names
        subject, *rest = candidates
        return rest[0] if rest and _ROLE_BETWEEN.fullmatch(text, subject.char_end, rest[0].char_start) else subject
    for mention in reversed(candidates):  # not an object: "accused Ukraine of trying to assassinate Vladimir Putin ..."
        if _VERB_RE.search(text[mention.char_end:open_][:60]) \
                and not _COMPLEMENT_BEFORE.search(text, max(sentence_start, mention.char_start - 30), mention.char_start):
            return mention
    return None


_OBJECT_OF_A_ROLE = re.compile(r"\b(?:to|of|for)\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,2}$")  # "adviser to President "


def _named_in_apposition(text: str, mention: Mention, candidates: list[Mention]) -> Mention | None:
    """'A senior adviser to President Zelensky, Mykhailo Podolyak, said': the name set off after the role's object."""
    if not _OBJECT_OF_A_ROLE.search(text, max(0, mention.char_start - 40), mention.char_start):
        return None
    return next((m for m in candidates if re.fullmatch(r",\s*", text[mention.char_end:m.char_start])
                 and text.startswith(",", m.char_end)), None)


# 'He told reporters that Kiev had "..."', 'The ministry, she noted, "..."', 'According to him, ... "..."', 'In his
# view, the raid was "..."'
_PRONOUN_BEFORE = re.compile(rf"(?:^|(?<=[\s,]))(?:(?:He|he|She|she)\s+(?:\w+\s+)?(?:{_VERBS})\b|According\s+to\s+(?:him|her)\b"
                             rf"|[Ii]n\s+(?:his|her)\s+(?:view|opinion|words)\b)"
                             rf"(?:(?!\b(?:he|she)\b)[^“”\"])*$")


def _speaker_pronoun(text: str, span: QuotedSpan, sentence_start: int, actors: list[Mention], kind_of) -> Mention | None:
    """'...," he said' / 'He told reporters that Kiev had "..."': the last person named before;
    'In its daily summary it said air defences had "..."', '..., the ministry said, while the third "...":
    the last institution named before."""
    around = text[span.end + 1:span.end + 60]  # '"...," shortly after 4 a.m., he added
    if _PRONOUN_SPEAKER.search(around):
        return _person_meant_by_pronoun(text, span.start, actors, kind_of)
    if pronoun := _PRONOUN_BEFORE.search(text, sentence_start, span.start - 1):  # not a person named after "He said"
        return _person_meant_by_pronoun(text, pronoun.start(), actors, kind_of)
    if said := _IT_SAID.search(text, sentence_start, span.start - 1):
        kinds = _KINDS_FOR.get((said.group("noun") or "").lower())  # "the ministry said": a ministry, not the paper named since
        institutions = [m for m in actors if m.char_end <= sentence_start and kind_of(m) not in PERSON
                        and (kinds is None or kind_of(m) in kinds)]
        return institutions[-1] if institutions else None
    return None


_IT_SAID = re.compile(  # "Ukraine's General Staff later confirmed the strike. According to its statement, the attack hit "...""
    rf"(?:\b(?:it|its\s+(?:statement|summary|report|caption|post|website)|the\s+(?P<noun>ministry|agency|channel|post|account|statement))"
    rf"\s+(?:\w+\s+)?(?:{_VERBS})\b(?:\s+that)?"
    r"|\baccording\s+to\s+its\s+(?:[\w-]+\s+){0,2}?(?:statement|summary|report|post|update|briefing|message|figures|data)\b)"
    r"[^“”\"«»]{0,120}$",
    re.I,
)


def _short_and_tagged(text: str, span: QuotedSpan, words: int) -> bool:
    """'"Nobody panicked," he said.': two words with their speaker's tag are a statement."""
    return words >= 2 and text[span.end - 1] in ",!?" and _TAG_AFTER.match(text, span.end + 1) is not None


# '..." Peskov told reporters.', '..." the ministry said on Telegram.': a short sentence that only says who spoke
_TAG_SENTENCE = re.compile(  # '..." The statement was posted by Governor Alexander Gusev': whose it was
    rf"\s+(?:(?:[Tt]he|[Aa]n?)\s+)?(?:[\w.'’-]+\s+){{1,4}}?(?:{_VERBS})\b[^.!?“”\"]{{0,30}}[.!?]"
    r"|\s+(?:The|This|That|These|Those)\s+(?:statement|message|post|words|comments?|remarks?)\s+(?:was|were)\s+\w+\s+by\b"
)
_TAG_AFTER = re.compile(rf"\s*(?:(?:he|she|they)\s+|(?:[A-Z][\w.'’-]*\s+){{1,3}})(?:{_VERBS})\b")
_SPLIT_AT_TAG = re.compile(rf"[^“”\"\n]{{1,80}}?\b(?:{_VERBS})\b[^“”\"\n]{{0,40}},\s*[“\"]", re.I)
# "Source: Zaluzhnyi, on Telegram.", a digest's "05:40 | Rybar (Рыбарь)": a line naming who speaks next
_LINE_NAMING_A_SOURCE = re.compile(r"\s*(?:Source\s*:|\d{1,2}[:.]\d{2}\s*[|•·–—-])")


def _speaker_of_previous_sentence(text: str, idx: int, sentences, actors: list[Mention], kind_of) -> Mention | None:
    """'Zaluzhnyi wrote on Telegram. Quote: "..."', 'Source: Zaluzhnyi, on Telegram. Quote: "..."' or a
    digest's '10:12 | Two Majors' above the post: the reporting subject of the sentence before;
    'Kateryna Sydorenko studies air defences. "..."': the person that sentence is about."""
    if idx == 0:
        return None
    start, end = sentences[idx - 1]
    before = [m for m in actors if start <= m.char_start < end and not _inside_a_quote(text, start, m.char_start)]
    for mention in before:
        if _VERB_AFTER_SPEAKER.match(text, mention.char_end):
            return mention
    if before and _LINE_NAMING_A_SOURCE.match(text[start:end]):
        return before[0]
    if before and before[0].char_start == start and kind_of(before[0]) in PERSON:
        return before[0]
    return None


def _inside_a_quote(text: str, start: int, position: int) -> bool:
    """Is `position` inside a quotation opened after `start` ('"The Kremlin has shown ...," said X')?"""
    before = text[start:position]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _pronoun_of_previous_sentence(text: str, idx: int, sentences, actors: list[Mention], kind_of) -> Mention | None:
    """'The choice of Moscow, he added, suggested ... Moscow's outer ring was "never designed ..."': the person
    a pronoun tag in the sentence before means."""
    if idx == 0 or not _PRONOUN_TAG.search(text, *sentences[idx - 1]):
        return None
    return _person_meant_by_pronoun(text, sentences[idx - 1][0], actors, kind_of)


# '...,” he said.\n\n“The booms were added ...': the statement goes on (after a speaker named again, a new one begins)
_TAG_THEN_PARAGRAPH = re.compile(r"[^“”\"«»\n]{0,60}\n+\s*")
_PRONOUN_TAG_ONLY = re.compile(rf"\s*(?:he|she)\s+(?:{_VERBS})\.\s*", re.I)  # '," he said. '
_PRONOUN_TAG = re.compile(rf"\b(?:he|she)\s+(?:\w+\s+)?(?:{_VERBS})\b", re.I)


_NEXT_SENTENCE = re.compile(r"\s+[A-Z]")
_PRONOUN_INTRODUCES = re.compile(
    rf"\b(?:it|he|she|the\s+(?:ministry|agency|channel))\s+(?:\w+\s+)?(?:{_VERBS})\b[^“”\"«»:]{{0,40}}:\s*$", re.I
)


def extract_quotes(
    article_id: str, text: str, sentences: list[tuple[int, int]], mentions: list[Mention], entities
) -> list[Quote]:
    """Quotations of at least four words (three with a speaker), each with the actor who said it when the text tells.
    `entities.get(type, id)` gives an entity's kind (catalog or provisional)."""

    def kind_of(mention: Mention) -> str | None:
        entity = entities.get("actor", mention.entity_id)
        return entity.kind if entity else None

    actors = sorted(
        (m for m in mentions if m.entity_type == "actor" and kind_of(m) not in NOT_SPEAKERS), key=lambda m: m.char_start
    )
    starts = [s for s, _ in sentences]
    quotes: list[Quote] = []
    previous: tuple[QuotedSpan, Quote] | None = None
    for span in find_quoted_spans(text):
        start, end = _trimmed(text, span)
        content = text[start:end]
        words = len(re.findall(r"[\w'’-]+", content))
        opens_a_split_quote = text[span.end - 1] == "," and _SPLIT_AT_TAG.match(text, span.end + 1)  # '"The towers," she said, "are'
        if words < MIN_PARTIAL_QUOTE_WORDS and not (opens_a_split_quote or _short_and_tagged(text, span, words)) \
                or _TERM_BEFORE.search(text, max(0, span.start - 40), span.start - 1) or _in_a_headline(text, span):
            continue  # scare quotes, single terms, titles, 'what Moscow calls its "special military operation"',
            # a headline's words (the story quotes them again, with their speaker)
        sentence_idx = max(0, sum(1 for s in starts if s <= span.start) - 1)
        sentence_start = starts[sentence_idx] if starts else 0
        if sentence_idx and not text[sentence_start:span.start - 1].strip() and text[:sentences[sentence_idx - 1][1]].endswith(":"):
            sentence_start = starts[sentence_idx - 1]  # 'In a statement carried by RIA Novosti, it said:' above a block quote
        introduced = _INTRODUCED.search(text, sentence_start, span.start - 1)  # 'Yusov said: "..."'
        # '... announced that a regiment "has taken up combat duty." Ukrainian intelligence claimed ...': the
        # sentence the quote ends has its own speaker; the next one's subject is not it
        ends_sentence = text[span.end - 1:span.end] in (".", "!", "?") and _NEXT_SENTENCE.match(text, span.end + 1)
        finders = (
            lambda: _speaker_before(text, span, sentence_start, actors),
            lambda: _speaker_after(text, span, actors, kind_of, sentences[bisect_right(starts, span.end + 1) - 1][1]),
        )
        # "In a statement carried by RIA Novosti, it said:" (or "the ministry said:"): the subject, not the outlet named before it
        speaker = _speaker_pronoun(text, span, sentence_start, actors, kind_of) \
            if introduced and _PRONOUN_INTRODUCES.search(text, sentence_start, span.start - 1) else None
        for find in (finders if introduced or ends_sentence else finders[::-1]):
            speaker = speaker or find()
        speaker = speaker or _speaker_pronoun(text, span, sentence_start, actors, kind_of)
        opens_sentence = not text[sentence_start:span.start - 1].strip()
        untagged = not _VERB_RE.search(text, sentence_start, span.start - 1)  # no tag of its own before the quote
        if speaker is None and (opens_sentence or re.search(r"(?:^|\n)\s*Quote\s*:\s*$", text[max(0, span.start - 20):span.start - 1])):
            speaker = _speaker_of_previous_sentence(text, sentence_idx, sentences, actors, kind_of)
        if words < MIN_QUOTE_WORDS and speaker is None:
            continue  # three words are a statement only when someone is said to have said them
        continuation = inherited = False
        if previous is not None and previous[1].speaker_id:
            prev_span, prev_quote = previous
            gap = text[prev_span.end + 1:span.start - 1]
            # 'The small drones, he said, "fly low ..."', 'He urged residents "not to film ..."': a new sentence
            # with a tag of its own opens a new statement, by the same speaker or not
            own_tag = sentence_start > prev_span.end and not untagged
            if speaker is None:
                same_paragraph = paragraph_of(text, prev_span.start) == paragraph_of(text, span.start)
                if same_paragraph and len(gap) < 160 and not re.search(r"[“\"«]", gap) or _TAG_THEN_PARAGRAPH.fullmatch(gap):
                    speaker_id, speaker_surface, inherited = prev_quote.speaker_id, prev_quote.speaker_surface, True
                    continuation = not own_tag
            elif speaker.entity_id == prev_quote.speaker_id and len(gap) < 100 and "\n" not in gap and not own_tag and (
                    prev_span.end <= speaker.char_start < span.start or _PRONOUN_TAG_ONLY.fullmatch(gap)):
                # not a new paragraph: 'Mendelsohn said each launcher was "..."'; '"I would just tell you," Kirby
                # responded, "that Mr. Peskov is just lying there."', '"The roof was damaged," Vorobyov wrote. "Nobody
                # was hurt."', '"What you see ...," he said. "The Pantsir is ..."': one statement around its speaker's tag
                continuation = True
        if speaker is None and not inherited and untagged:
            speaker = _pronoun_of_previous_sentence(text, sentence_idx, sentences, actors, kind_of)
        quote = Quote(
            quote_id=stable_id(article_id, start, end),
            article_id=article_id,
            speaker_id=speaker.entity_id if speaker else (speaker_id if inherited else None),
            speaker_surface=speaker.surface if speaker else (speaker_surface if inherited else None),
            quote=content,
            char_start=start,
            char_end=end,
            sentence_idx=sentence_idx,
            is_continuation=continuation,
        )
        quotes.append(quote)
        previous = (span, quote)
    return quotes
