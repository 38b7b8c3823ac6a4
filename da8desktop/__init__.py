"""da8desktop: the offline desktop application for Dự án 8."""

# The one place the version is written (pyproject.toml reads it from here): a constant, because
# looking it up in the installed package's metadata cost 0.2 s of every command's start.
__version__ = "0.1.0"
