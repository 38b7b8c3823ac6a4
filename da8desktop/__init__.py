"""da8desktop: the offline desktop application for Dự án 8."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("da8desktop")
except PackageNotFoundError:  # running from a frozen build or an uninstalled checkout
    __version__ = "0.1.0"
