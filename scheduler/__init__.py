"""richeng's composition root: settings, clock, store wiring, CLI, daemon and channels."""
