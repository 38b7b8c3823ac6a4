"""The Qt-free core: domain, database, services, sync, Excel and report content.

Nothing below this package may import PySide6 (tests/core/test_layers.py enforces it).
"""
