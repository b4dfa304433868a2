"""Reminders that arrive once: channels, message texts, planning, the deliveries table, the daemon.

Layout (pure first, then I/O):

- ``timing``: when an occurrence happens and when its reminder falls due (pure).
- ``messages``: the Chinese reminder texts (pure).
- ``planning``: stored rules -> the deliveries due in a window (pure).
- ``masking``: channel URLs shown without their secrets.
- ``robots``: DingTalk / WeCom / Feishu group-robot senders (httpx, reads the reply body).
- ``senders``: one interface over apprise, the robots and an in-memory recorder.
- ``models``, ``channels``, ``deliveries``: the tables and every read and write of them.
- ``fulfilment``: the seam to the ledger (is a quota window already fulfilled?).
- ``daemon``: the process that plans and sends (APScheduler as its in-process timer only).
"""
