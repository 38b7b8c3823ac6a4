"""Core services: every create, update, delete and list goes through here, for the GUI, the CLI
and the demo loader alike. Each call is one transaction (or joins the caller's) and returns plain
data plus the warnings the officer should see."""
