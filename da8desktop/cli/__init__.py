"""The command line: a thin client of the core services, like the GUI."""
