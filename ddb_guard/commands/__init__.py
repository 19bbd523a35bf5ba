"""One module per subcommand; each exposes a function returning the exit code."""
