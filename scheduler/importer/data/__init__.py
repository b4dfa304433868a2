"""Word lists of the importer (TOML), read with :func:`scheduler.importer.noise.words`."""
