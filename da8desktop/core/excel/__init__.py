"""Excel files: real .xlsx written by streaming, read back by tests."""
