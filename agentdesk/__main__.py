"""`python -m agentdesk` runs the command line."""

from agentdesk.cli import main

if __name__ == "__main__":
    main()
