"""``python -m detente``: the command line."""

from detente.cli import main

if __name__ == "__main__":  # not when a spawned worker process imports this module
    main()
