"""Indicators (chỉ tiêu): the catalogue as data, achieved values computed from records, targets,
progress, the "needs attention" list (issue 6). Qt-free: the dashboard, the reports and the CLI
read the same figures."""
