"""Pure types and rules of the CIO system: no I/O, no clock, used by workflow and API alike."""
