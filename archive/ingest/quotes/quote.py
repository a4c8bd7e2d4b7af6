"""What the extractor proposes: a quotation span with its speaker, cue and confidence."""

from dataclasses import dataclass, field

DIRECT = "direct"
INDIRECT = "indirect"

# Under four words a quoted phrase is usually a scare quote or a title, not a statement; a short
# one is proposed only as a "fragment" (an utterance: "Go register," he said), with lower confidence.
MIN_WORDS = 4
MIN_FRAGMENT_WORDS = 2
FRAGMENT = "fragment"
FRAGMENT_CONFIDENCE = 0.45


@dataclass
class Quote:
    start: int
    end: int
    text: str
    kind: str = DIRECT
    speaker: str = ""  # the name as resolved in the article ("Zhang Jun"), "" when unknown
    mention: str = ""  # what the text says ("the ambassador", "he", "Zhang")
    cue: str = ""
    confidence: float = 0.3
    pattern: str = "none"
    appositive: str = ""
    label: str = ""  # "fragment" for a short quoted utterance (2-3 words)


@dataclass
class Extraction:
    quotes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    people: list = field(default_factory=list)  # Person objects, in order of first mention
