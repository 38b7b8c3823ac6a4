"""Drawing report content with Qt (PDF files, printers, previews). Shared by the GUI and the CLI;
the content itself comes from da8desktop.core.reports."""
