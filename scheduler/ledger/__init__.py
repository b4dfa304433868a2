"""The ledger (纪实台账): records of what was held, attachments, status, reports and templates.

``models`` holds the ``records`` and ``attachments`` rows; ``records`` adds, lists and undoes
records (matching each to the occurrence or window it counts for via ``calendars.compliance``);
``attachments`` stores files by content hash; ``status`` and ``reports`` read records against the
rules; ``templates`` expands the regulation templates in ``scheduler/data/templates``.
Nothing here is imported by ``richeng`` at start-up: the CLI imports it inside its commands.
"""
