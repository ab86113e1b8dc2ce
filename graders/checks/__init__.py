"""The check library: one concern per module, every check returns a :class:`Result`."""
