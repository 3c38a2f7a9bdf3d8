"""`python -m handouts` runs the command line."""
from .cli import entry

entry()
