"""Alembic revisions: 0001_core (store), 0002_feeds, 0003_reminders, 0004_ledger, …"""
