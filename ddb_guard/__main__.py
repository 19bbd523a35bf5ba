from ddb_guard.cli import main

main()
