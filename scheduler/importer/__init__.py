"""Documents -> sentences -> obligations: the engine behind ``richeng import``.

``readers`` turns a file (.txt in any Chinese encoding, .docx, .pdf) or standard input into lines;
``sentences`` cuts the lines into the sentences a parser can read (numbering stripped, boilerplate
dropped, each with its line number); ``extract`` runs the rule language on each sentence and
collects obligations, skipped regular activities and duplicates; ``review`` lets a person accept,
skip or edit each candidate before anything is stored.
"""

from .extract import Candidate, Extraction, Skipped, calendar_key, extract, schedule_key
from .readers import Document, DocumentError, read_bytes, read_document
from .sentences import Sentence, split_sentences

__all__ = [
    "Candidate", "Document", "DocumentError", "Extraction", "Sentence", "Skipped", "calendar_key", "extract",
    "read_bytes", "read_document", "schedule_key", "split_sentences",
]
