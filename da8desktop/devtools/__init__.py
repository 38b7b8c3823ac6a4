"""Developer tools (not used at run time): translation catalogue upkeep."""
