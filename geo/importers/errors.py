"""The one error an import raises when a file cannot be read as a table at all."""


class ReadError(ValueError):
    """The file could not be read as a table (empty, binary, damaged, beyond a limit, unknown
    layout ...); its text is one sentence a person can act on."""
